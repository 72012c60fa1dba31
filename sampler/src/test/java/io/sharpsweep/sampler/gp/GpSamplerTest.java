package io.sharpsweep.sampler.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.sampler.SamplerOptions;
import io.sharpsweep.sampler.SuggestContext;
import io.sharpsweep.sampler.qmc.SobolSampler;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpSamplerTest {
  private static final List<Objective> ACC = List.of(new Objective("acc", Goal.MAXIMIZE));
  private static final SearchSpace PLANE =
      new SearchSpace(
          List.of(ParamSpec.floatParam("x", 0, 1, false), ParamSpec.floatParam("y", 0, 1, false)));

  private static double accuracy(Map<String, Object> p) {
    double x = (Double) p.get("x");
    double y = (Double) p.get("y");
    return 1 - (x - 0.7) * (x - 0.7) - 2 * (y - 0.2) * (y - 0.2);
  }

  private static SuggestContext context(List<Observation> obs, List<Pending> pending) {
    return new SuggestContext(PLANE, new UnitCubeEncoding(PLANE), ACC, obs, pending, 5);
  }

  @Test
  void startupPointsWalkTheSobolSequence() {
    SuggestContext ctx = context(List.of(), List.of());
    assertThat(GpSampler.fromOptions(SamplerOptions.none()).suggest(ctx, 4))
        .isEqualTo(new SobolSampler(true).suggest(ctx, 4));
  }

  @Test
  void aShortStudyFindsTheMaximumOfAQuadraticPrecisely() {
    GpSampler gp = GpSampler.fromOptions(SamplerOptions.none());
    List<Observation> obs = new ArrayList<>();
    double best = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < 20; t++) {
      Map<String, Object> p = gp.suggest(context(obs, List.of()), 1).get(0);
      best = Math.max(best, accuracy(p));
      obs.add(new Observation(p, List.of(accuracy(p))));
    }
    // Ten Sobol points, then ten EI steps on a smooth bowl: within 1e-4 of the maximum 1.
    assertThat(1 - best).isLessThan(1e-4);
  }

  @Test
  void pendingPointsAndBatchMembersAreBelievedAndAvoided() {
    GpSampler gp = GpSampler.fromOptions(SamplerOptions.none());
    List<Observation> obs = new ArrayList<>();
    for (Map<String, Object> p :
        new SobolSampler(true).suggest(context(List.of(), List.of()), 12)) {
      obs.add(new Observation(p, List.of(accuracy(p))));
    }
    List<Map<String, Object>> batch = gp.suggest(context(obs, List.of()), 4);
    assertThat(batch).doesNotHaveDuplicates();
    Map<String, Object> alone = gp.suggest(context(obs, List.of()), 1).get(0);
    assertThat(batch.get(0)).isEqualTo(alone);
    List<Map<String, Object>> next = gp.suggest(context(obs, List.of(new Pending(alone))), 1);
    assertThat(next.get(0)).isNotEqualTo(alone);
  }

  @Test
  void severalObjectivesAreRefusedWithAPointer() {
    SuggestContext two =
        new SuggestContext(
            PLANE,
            new UnitCubeEncoding(PLANE),
            List.of(new Objective("a", Goal.MAXIMIZE), new Objective("b", Goal.MINIMIZE)),
            List.of(),
            List.of(),
            1);
    assertThatThrownBy(() -> GpSampler.fromOptions(SamplerOptions.none()).suggest(two, 1))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("parego");
  }

  @Test
  void categoricalsAreOneHotAndInactiveParametersImputed() {
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.categorical("v", List.of("a", "b", "c")),
                ParamSpec.floatParam("beta", 0, 1, false).when(Map.of("v", List.of("c")))));
    InputFeatures f = new InputFeatures(new UnitCubeEncoding(space));
    assertThat(f.size()).isEqualTo(4);
    assertThat(f.ofEncoded(new double[] {0.5, Double.NaN})).containsExactly(0, 1, 0, -0.5);
    assertThat(f.ofEncoded(new double[] {5 / 6.0, 0.25})).containsExactly(0, 0, 1, 0.25);
    // Raw points: the choice follows the coordinate, and beta is inactive unless v = c.
    assertThat(f.ofRaw(new double[] {0.1, 0.9})).containsExactly(1, 0, 0, -0.5);
    assertThat(f.ofRaw(new double[] {0.9, 0.9})).containsExactly(0, 0, 1, 0.9);
  }
}
