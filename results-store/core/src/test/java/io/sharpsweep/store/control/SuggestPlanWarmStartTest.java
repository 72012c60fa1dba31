package io.sharpsweep.store.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.suggest.Observation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Another study's completed trials as observations of a new space. */
class SuggestPlanWarmStartTest {
  private static final SearchSpace SPACE =
      new SearchSpace(
          List.of(
              ParamSpec.categorical("variant", List.of("sgd", "sam")),
              ParamSpec.floatParam("lr", 0.01, 0.3, true),
              ParamSpec.floatParam("rho", 0.01, 0.5, true)
                  .when(Map.of("variant", List.of("sam")))));

  private static Observation obs(Map<String, Object> params, double value) {
    return new Observation(params, List.of(value));
  }

  @Test
  void trialsAreRestrictedToTheSpaceAndThoseThatDoNotFitAreSkipped() {
    List<Observation> completed =
        List.of(
            // a knob the new space does not search is dropped
            obs(Map.of("variant", "sam", "lr", 0.1, "rho", 0.05, "momentum", 0.9), 0.8),
            // rho is inactive for sgd here: dropped, not held against the trial
            obs(Map.of("variant", "sgd", "lr", 0.1, "rho", 0.05), 0.7),
            // outside the new range
            obs(Map.of("variant", "sgd", "lr", 0.5), 0.6),
            // a variant the new space does not include
            obs(Map.of("variant", "esam", "lr", 0.1), 0.5),
            // the space needs rho for sam
            obs(Map.of("variant", "sam", "lr", 0.1), 0.4));
    assertThat(SuggestPlan.warmStart(SPACE, completed, 10))
        .containsExactly(
            obs(Map.of("variant", "sam", "lr", 0.1, "rho", 0.05), 0.8),
            obs(Map.of("variant", "sgd", "lr", 0.1), 0.7));
    assertThat(SuggestPlan.warmStart(SPACE, completed, 1)).hasSize(1);
  }
}
