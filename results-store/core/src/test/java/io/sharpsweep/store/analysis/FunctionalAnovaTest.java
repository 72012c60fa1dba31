package io.sharpsweep.store.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sharpsweep.protocol.api.ParamImportance;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.store.analysis.ImportanceAnalysis.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FunctionalAnovaTest {
  private static final FunctionalAnova.Settings OPTUNA = FunctionalAnova.Settings.OPTUNA;

  @Test
  void oneTreeOfOneSplitHasTheVarianceOfItsTwoBoxes() {
    // x ≤ 0.4 → 0, else 1, on [0, 1]: boxes of 0.4 and 0.6, mean 0.6, variance 0.4·0.6 = 0.24,
    // all of it x's (the second feature is never split on).
    List<Feature> features = List.of(Feature.numeric("x", 0, 1), Feature.numeric("z", 0, 1));
    double[][] x = {{0.1, 0.5}, {0.2, 0.9}, {0.6, 0.1}, {0.9, 0.5}};
    double[] y = {0, 0, 1, 1};
    RegressionTree tree = RegressionTree.fit(features, x, y, new int[] {0, 1, 2, 3}, 64, 2, 1);
    assertThat(tree.nodes().get(0).threshold()).isCloseTo(0.4, within(1e-12));
    double[] v = FunctionalAnova.marginalVariances(tree);
    assertThat(v[2]).isCloseTo(0.24, within(1e-12));
    assertThat(v[0]).isCloseTo(0.24, within(1e-12));
    assertThat(v[1]).isZero();
  }

  @Test
  void aCategoricalSplitWeighsEachChoiceEqually() {
    // three choices, c2 apart: marginal (0, 0, 1) → mean 1/3, variance 2/9
    List<Feature> features = List.of(Feature.categorical("c", 3));
    double[][] x = {{0}, {1}, {2}, {2}};
    double[] y = {0, 0, 1, 1};
    RegressionTree tree = RegressionTree.fit(features, x, y, new int[] {0, 1, 2, 3}, 64, 2, 1);
    double[] v = FunctionalAnova.marginalVariances(tree);
    assertThat(v[1]).isCloseTo(2.0 / 9, within(1e-12));
    assertThat(v[0]).isCloseTo(2.0 / 9, within(1e-12));
  }

  @Test
  void oneKnobThatExplainsEverythingTakesNearlyAll() {
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.floatParam("lr", 0.001, 1, true),
                ParamSpec.floatParam("momentum", 0, 0.99, false),
                ParamSpec.categorical("variant", List.of("sgd", "sam", "esam"))));
    List<Observation> obs =
        sample(
            space,
            200,
            1,
            p -> Math.log(((Number) p.get("lr")).doubleValue())); // log-linear in lr only
    Map<String, ParamImportance> r = byName(ImportanceAnalysis.evaluate(space, obs, 7, OPTUNA));
    assertThat(r.get("lr").importance()).isGreaterThan(0.9);
    assertThat(r.get("momentum").importance()).isLessThan(0.05);
    assertThat(r.get("variant").importance()).isLessThan(0.05);
    assertThat(r.values().stream().mapToDouble(ParamImportance::importance).sum())
        .isCloseTo(1, within(1e-9));
  }

  @Test
  void anAdditiveObjectiveSplitsAsTheSquaredCoefficientsTimesTheVariances() {
    // f = 2x + y, x and y uniform on [0, 1]: shares 4·(1/12) : 1·(1/12) = 0.8 : 0.2
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.floatParam("x", 0, 1, false), ParamSpec.floatParam("y", 0, 1, false)));
    List<Observation> obs =
        sample(
            space,
            400,
            2,
            p -> 2 * ((Number) p.get("x")).doubleValue() + ((Number) p.get("y")).doubleValue());
    Map<String, ParamImportance> r = byName(ImportanceAnalysis.evaluate(space, obs, 7, OPTUNA));
    assertThat(r.get("x").importance()).isCloseTo(0.8, within(0.03));
    assertThat(r.get("y").importance()).isCloseTo(0.2, within(0.03));
  }

  @Test
  void aCategoricalKnobCountsEachChoiceOnce() {
    // f = [variant = esam] + c·x: variance 2/9 from the variant, c²/12 from x; c² = 8/3 makes them
    // equal
    double c = Math.sqrt(8.0 / 3);
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.categorical("variant", List.of("sgd", "sam", "esam")),
                ParamSpec.floatParam("x", 0, 1, false)));
    List<Observation> obs =
        sample(
            space,
            300,
            3,
            p ->
                (p.get("variant").equals("esam") ? 1 : 0)
                    + c * ((Number) p.get("x")).doubleValue());
    Map<String, ParamImportance> r = byName(ImportanceAnalysis.evaluate(space, obs, 7, OPTUNA));
    assertThat(r.get("variant").importance()).isCloseTo(0.5, within(0.05));
    assertThat(r.get("x").importance()).isCloseTo(0.5, within(0.05));
  }

  @Test
  void aConditionalKnobIsRankedOverTheTrialsThatSetIt() {
    // sgd: f = v; sam: f = 1 + u + v, with u = rho's position on its log scale, v = lr's.
    // Over every trial (variant, lr): the variant's marginal is v̄ or 1.5 + v̄, variance 0.5625,
    // against lr's 1/12. Over the sam trials (variant constant, lr, rho): 1/12 each, 0.5 : 0.5.
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.categorical("variant", List.of("sgd", "sam")),
                ParamSpec.floatParam("lr", 0, 1, false),
                ParamSpec.floatParam("rho", 0.01, 1, true)
                    .when(Map.of("variant", List.<Object>of("sam")))));
    List<Observation> obs =
        sample(
            space,
            400,
            4,
            p -> {
              double v = ((Number) p.get("lr")).doubleValue();
              if (p.get("variant").equals("sgd")) {
                return v;
              }
              double u = Math.log(((Number) p.get("rho")).doubleValue() / 0.01) / Math.log(100);
              return 1 + u + v;
            });
    List<ParamImportance> list = ImportanceAnalysis.evaluate(space, obs, 7, OPTUNA);
    assertThat(list).extracting(ParamImportance::param).containsExactly("variant", "lr", "rho");
    Map<String, ParamImportance> r = byName(list);
    assertThat(r.get("variant").importance()).isGreaterThan(0.75);
    assertThat(r.get("variant").condition()).isNull();
    assertThat(r.get("variant").trials()).isEqualTo(400);
    ParamImportance rho = r.get("rho");
    long samTrials = obs.stream().filter(o -> o.params().get("variant").equals("sam")).count();
    assertThat(rho.trials()).isEqualTo((int) samTrials);
    assertThat(rho.condition()).isEqualTo(Map.of("variant", List.of("sam")));
    assertThat(rho.importance()).isCloseTo(0.5, within(0.06));
  }

  @Test
  void isDeterministicForASeedAndRefusesTooFewTrials() {
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.floatParam("x", 0, 1, false), ParamSpec.floatParam("y", 0, 1, false)));
    Function<Map<String, Object>, Double> f =
        p ->
            Math.sin(6 * ((Number) p.get("x")).doubleValue()) + ((Number) p.get("y")).doubleValue();
    List<Observation> obs = sample(space, 60, 5, f);
    assertThat(ImportanceAnalysis.evaluate(space, obs, 11, OPTUNA))
        .isEqualTo(ImportanceAnalysis.evaluate(space, obs, 11, OPTUNA));
    List<ParamImportance> few = ImportanceAnalysis.evaluate(space, obs.subList(0, 4), 11, OPTUNA);
    assertThat(few).allSatisfy(e -> assertThat(e.importance()).isNull());
    assertThat(few.get(0).note()).isEqualTo("needs at least 5 trials that set it, got 4");
  }

  /** Uniform random trials of the space (log-uniform for log parameters), conditions honoured. */
  private static List<Observation> sample(
      SearchSpace space, int n, long seed, Function<Map<String, Object>, Double> objective) {
    Random random = new Random(seed);
    List<Observation> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> p = new LinkedHashMap<>();
      for (ParamSpec s : space.topologicalOrder()) {
        if (!space.isActive(s, p)) {
          continue;
        }
        switch (s.type()) {
          case CATEGORICAL -> p.put(s.name(), s.choices().get(random.nextInt(s.choices().size())));
          case FLOAT -> {
            double u = random.nextDouble();
            p.put(
                s.name(),
                s.logScale()
                    ? Math.exp(Math.log(s.low()) + u * (Math.log(s.high()) - Math.log(s.low())))
                    : s.low() + u * (s.high() - s.low()));
          }
          case INT ->
              p.put(s.name(), (long) (s.low() + random.nextInt((int) (s.high() - s.low()) + 1)));
        }
      }
      out.add(new Observation(p, objective.apply(p)));
    }
    return out;
  }

  private static Map<String, ParamImportance> byName(List<ParamImportance> list) {
    return list.stream().collect(Collectors.toMap(ParamImportance::param, e -> e));
  }
}
