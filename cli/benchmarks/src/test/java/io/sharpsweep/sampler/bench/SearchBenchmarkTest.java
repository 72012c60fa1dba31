package io.sharpsweep.sampler.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sharpsweep.protocol.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness on tiny runs; the real figures come from its command line (see the README). */
class SearchBenchmarkTest {

  @Test
  void problemsHaveTheirKnownOptima() {
    // Branin's three minima, Hartmann-6's minimiser, ZDT1's front.
    assertThat(Branin.value(-Math.PI, 12.275)).isCloseTo(Branin.OPTIMUM, within(1e-6));
    assertThat(Branin.value(Math.PI, 2.275)).isCloseTo(Branin.OPTIMUM, within(1e-6));
    assertThat(Branin.value(9.42478, 2.475)).isCloseTo(Branin.OPTIMUM, within(1e-6));
    assertThat(
            Hartmann6.value(new double[] {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573}))
        .isCloseTo(Hartmann6.OPTIMUM, within(1e-5));
    double[] f = Zdt1.value(new double[] {0.25, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    assertThat(f).containsExactly(new double[] {0.25, 0.5}, within(1e-12));
    assertThat(Zdt1.OPTIMAL_HYPERVOLUME).isCloseTo(0.87667, within(1e-5));
  }

  @Test
  void aRunReportsRegretQuartilesPerSeedAndCheckpoints() {
    SearchBenchmark.Result r =
        SearchBenchmark.run(SearchBenchmark.problem("branin"), "tpe", Map.of(), 15, 3, 12);
    assertThat(r.measure()).isEqualTo("regret");
    assertThat(r.checkpoints())
        .extracting(SearchBenchmark.Checkpoint::trials)
        .containsExactly(12, 15);
    for (int s = 0; s < 3; s++) {
      // The best value so far can only improve: regret at 15 trials <= at 12, and never negative.
      assertThat(r.checkpoints().get(1).perSeed()[s])
          .isBetween(0.0, r.checkpoints().get(0).perSeed()[s]);
    }
    Map<String, Object> json = r.toJson();
    assertThat(json)
        .containsKeys("medianRegret", "q25Regret", "q75Regret", "perSeed", "checkpoints");
    assertThat((double) json.get("q25Regret"))
        .isLessThanOrEqualTo((double) json.get("medianRegret"));
    assertThat(Json.encodeToString(json)).contains("\"medianRegret\":");
    assertThat(r.toTable()).contains("median regret");
    // Same seeds, same sampler: the same numbers.
    SearchBenchmark.Result again =
        SearchBenchmark.run(SearchBenchmark.problem("branin"), "tpe", Map.of(), 15, 3, 12);
    assertThat(again.last().perSeed()).containsExactly(r.last().perSeed());
  }

  @Test
  void aFirstSeedShiftsTheSeeds() {
    SearchBenchmark.Result oneToThree =
        SearchBenchmark.run(SearchBenchmark.problem("branin"), "tpe", Map.of(), 12, 3);
    SearchBenchmark.Result twoToThree =
        SearchBenchmark.runFrom(SearchBenchmark.problem("branin"), "tpe", Map.of(), 12, 2, 2);
    double[] all = oneToThree.last().perSeed();
    assertThat(twoToThree.last().perSeed()).containsExactly(all[1], all[2]);
  }

  @Test
  void multiObjectiveProblemsReportHypervolume() {
    SearchBenchmark.Result r =
        SearchBenchmark.run(SearchBenchmark.problem("zdt1"), "motpe", Map.of(), 12, 2);
    assertThat(r.measure()).isEqualTo("hypervolume");
    assertThat(r.toJson()).containsKeys("medianHypervolume", "q25Hypervolume", "q75Hypervolume");
    assertThat(r.last().median()).isBetween(0.0, Zdt1.OPTIMAL_HYPERVOLUME);
  }

  @Test
  void quantilesInterpolateLikeNumpy() {
    double[] v = {4, 1, 3, 2};
    assertThat(SearchBenchmark.quantile(v, 0.5)).isEqualTo(2.5);
    assertThat(SearchBenchmark.quantile(v, 0.25)).isEqualTo(1.75);
    assertThat(SearchBenchmark.quantile(v, 0.75)).isEqualTo(3.25);
  }

  @Test
  void latencyIsMeasuredOnALongHistory() {
    SuggestLatency.Result r = SuggestLatency.measure("tpe", Map.of(), 50, 4);
    assertThat(r.observations()).isEqualTo(50);
    assertThat(r.parameters()).isEqualTo(6);
    assertThat(r.medianMs()).isPositive().isLessThanOrEqualTo(r.maxMs());
  }

  @Test
  void anUnknownProblemNamesTheKnownOnes() {
    assertThatThrownBy(() -> SearchBenchmark.problem("rosenbrock"))
        .hasMessageContaining("[branin, hartmann6, zdt1]");
  }
}
