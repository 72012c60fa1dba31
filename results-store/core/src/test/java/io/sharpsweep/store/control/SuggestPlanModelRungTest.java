package io.sharpsweep.store.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.suggest.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BOHB's side of a multi-fidelity study: the sampler learns from the highest rung with enough
 * results, the rule every multi-fidelity study's sampler is fed by.
 */
class SuggestPlanModelRungTest {
  private final List<Map<String, Observation>> byRung =
      List.of(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());

  private void observe(int rung, String trial, double value) {
    byRung.get(rung).put(trial, new Observation(Map.of("x", value), List.of(value)));
  }

  private List<String> learnedFrom(int dimensions) {
    List<String> out = new ArrayList<>();
    for (Observation o : SuggestPlan.modelObservations(byRung, dimensions)) {
      out.add("t" + ((Double) o.params().get("x")).intValue());
    }
    return out;
  }

  @Test
  void bohbLearnsFromTheHighestRungWithEnoughResults() {
    assertThat(SuggestPlan.modelObservations(byRung, 0)).isEmpty();
    // d = 0: a rung needs 10·(0 + 1) = 10 results. Bracket 1's five trials arrive at rung 1 first.
    for (int i = 9; i < 14; i++) {
      observe(1, "t" + i, i);
    }
    assertThat(learnedFrom(0)).containsExactly("t9", "t10", "t11", "t12", "t13"); // the fullest
    for (int i = 0; i < 8; i++) {
      observe(0, "t" + i, i);
    }
    assertThat(learnedFrom(0)).hasSize(8).startsWith("t0"); // rung 0 is now the fullest
    for (int i = 8; i < 10; i++) {
      observe(0, "t" + i, i);
    }
    observe(2, "t15", 15);
    // Rung 0 reaches 10 results: enough to learn from it alone.
    assertThat(learnedFrom(0)).hasSize(10).startsWith("t0");
    for (int i = 14; i < 19; i++) {
      observe(1, "t" + i, i);
    }
    assertThat(learnedFrom(0)).hasSize(10).startsWith("t9"); // rung 1 has 10 too, and is higher
    // d = 1 needs 20: none has that many, rung 1 and rung 0 tie at 10 and the higher wins.
    assertThat(learnedFrom(1)).startsWith("t9");
  }
}
