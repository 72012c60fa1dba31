package io.sharpsweep.sampler.moo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sharpsweep.protocol.pareto.Hypervolume;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.sampler.SamplerOptions;
import io.sharpsweep.sampler.SuggestContext;
import io.sharpsweep.sampler.random.RandomSampler;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class ParEgoSamplerTest {
  // Maximise accuracy, minimise cost: accuracy = 1 - (x - 1)^2, cost = x^2 + y (y only costs).
  private static final List<Objective> OBJ =
      List.of(new Objective("acc", Goal.MAXIMIZE), new Objective("cost", Goal.MINIMIZE));
  private static final SearchSpace SPACE =
      new SearchSpace(
          List.of(ParamSpec.floatParam("x", 0, 1, false), ParamSpec.floatParam("y", 0, 1, false)));

  static List<Double> evaluate(Map<String, Object> p) {
    double x = (Double) p.get("x");
    double y = (Double) p.get("y");
    return List.of(1 - (x - 1) * (x - 1), x * x + y);
  }

  @Test
  void weightsAreOnTheSimplexAndDependOnTheSeed() {
    double[] w = ParEgoSampler.weights(7, 3);
    assertThat(w[0] + w[1] + w[2]).isCloseTo(1.0, within(1e-12));
    for (double v : w) {
      assertThat(v).isBetween(0.0, 1.0);
    }
    assertThat(ParEgoSampler.weights(7, 3)).containsExactly(w);
    assertThat(ParEgoSampler.weights(8, 3)).isNotEqualTo(w);
  }

  @Test
  void theAugmentedChebyshevScalarisation() {
    ParEgoSampler p = new ParEgoSampler(new RandomSampler(), 0.05);
    // max(0.3 x 0.2, 0.7 x 0.6) + 0.05 (0.06 + 0.42) = 0.42 + 0.024.
    assertThat(p.chebyshev(new double[] {0.2, 0.6}, new double[] {0.3, 0.7}))
        .isCloseTo(0.444, within(1e-12));
    // Objectives are scaled to [0, 1] over the observations, column by column.
    assertThat(ParEgoSampler.scaled(new double[][] {{1, 10}, {3, 30}, {2, 10}}))
        .isDeepEqualTo(new double[][] {{0, 0}, {1, 1}, {0.5, 0}});
  }

  @Test
  void aBatchOfTwoIsTwoCallsOfOneWithTheFirstPending() {
    List<Observation> obs = history(12);
    ParEgoSampler tpe = ParEgoSampler.fromOptions(new SamplerOptions(Map.of("base", "tpe")));
    SuggestContext ctx =
        new SuggestContext(SPACE, new UnitCubeEncoding(SPACE), OBJ, obs, List.of(), 3);
    List<Map<String, Object>> two = tpe.suggest(ctx, 2);
    Map<String, Object> first = tpe.suggest(ctx, 1).get(0);
    SuggestContext pending =
        new SuggestContext(
            SPACE, new UnitCubeEncoding(SPACE), OBJ, obs, List.of(new Pending(first)), 3);
    assertThat(two).containsExactly(first, tpe.suggest(pending, 1).get(0));
  }

  @Test
  void bothBasesImproveTheFrontOverRandomSearch() {
    double random = hypervolumeAfter(new RandomSampler(), 30);
    double gp = hypervolumeAfter(ParEgoSampler.fromOptions(SamplerOptions.none()), 30);
    double tpe =
        hypervolumeAfter(ParEgoSampler.fromOptions(new SamplerOptions(Map.of("base", "tpe"))), 30);
    assertThat(gp).isGreaterThan(random);
    assertThat(tpe).isGreaterThan(random * 0.98);
  }

  private static List<Observation> history(int n) {
    SuggestContext ctx =
        new SuggestContext(SPACE, new UnitCubeEncoding(SPACE), OBJ, List.of(), List.of(), 99);
    List<Observation> obs = new ArrayList<>();
    for (Map<String, Object> p : new RandomSampler().suggest(ctx, n)) {
      obs.add(new Observation(p, evaluate(p)));
    }
    return obs;
  }

  /** Hypervolume of (-accuracy, cost) under the reference (0, 2) after a sequential study. */
  public static double hypervolumeAfter(io.sharpsweep.sampler.Sampler sampler, int trials) {
    List<Observation> obs = new ArrayList<>();
    for (int t = 0; t < trials; t++) {
      SuggestContext ctx =
          new SuggestContext(SPACE, new UnitCubeEncoding(SPACE), OBJ, obs, List.of(), 21);
      Map<String, Object> p = sampler.suggest(ctx, 1).get(0);
      obs.add(new Observation(p, evaluate(p)));
    }
    double[][] pts = new double[obs.size()][];
    for (int i = 0; i < pts.length; i++) {
      pts[i] = new double[] {-obs.get(i).values().get(0), obs.get(i).values().get(1)};
    }
    return Hypervolume.of(pts, new double[] {0, 2});
  }
}
