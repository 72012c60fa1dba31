package io.sharpsweep.store.fidelity.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.sampler.bench.Branin;
import io.sharpsweep.store.fidelity.bench.CurvesBenchmark.Options;
import io.sharpsweep.store.fidelity.bench.CurvesBenchmark.Result;
import io.sharpsweep.store.fidelity.bench.CurvesBenchmark.SeedResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurvesBenchmarkTest {
  private static Options options(String scheduler, int trials, int seeds, int maxEpochs) {
    return new Options(
        scheduler, new SamplerSpec("uniform", 0L, null), trials, seeds, 0, 4, 1, maxEpochs, 3);
  }

  @Test
  void theProblemIsDefinedAsInTheIssue() {
    assertThat(Branin.value(Math.PI, 2.275)).isCloseTo(0.39788735772973816, within(1e-12));
    assertThat(Branin.value(-5, 0)).isCloseTo(308.12909601160663, within(1e-9));
    // branin + A/e + 0.2·sin(…): A(-5) = 5, A(10) = 15
    assertThat(CurvesBenchmark.curveLoss(-5, 0, 1)).isCloseTo(312.95617800753945, within(1e-9));
    assertThat(CurvesBenchmark.curveLoss(10, 15, 3)).isCloseTo(150.93287620382483, within(1e-9));
    assertThat(CurvesBenchmark.curveLoss(Math.PI, 2.275, 27))
        .isCloseTo(0.6735312428473668, within(1e-12));
  }

  @Test
  void synchronousSchedulesSpendExactlyTheirBracketsEpochs() {
    CurvesBenchmark bench = new CurvesBenchmark(new UniformSource());
    // none: every configuration trains 27 epochs.
    assertThat(bench.runSeed(options("none", 8, 1, 27), 3).epochs()).isEqualTo(8 * 27);
    // sha, 1/3/9, one bracket of 9: 9·1 + 3·(3−1) + 1·(9−3) = 21 epochs, whatever the losses.
    SeedResult sha = bench.runSeed(options("sha", 9, 1, 9), 3);
    assertThat(sha.epochs()).isEqualTo(21);
    assertThat(sha.bestRung()).isEqualTo(2);
    assertThat(sha.bestEpoch()).isEqualTo(9);
    // hyperband, 17 configurations = brackets of 9 (from epoch 1), 5 (from 3) and 3 (at 9):
    // 21 + (5·3 + 1·6) + 3·9 = 69 epochs; bohb lays out the same brackets.
    assertThat(bench.runSeed(options("hyperband", 17, 1, 9), 3).epochs()).isEqualTo(69);
    assertThat(bench.runSeed(options("bohb", 17, 1, 9), 3).epochs()).isEqualTo(69);
  }

  @Test
  void ashaTrainsEveryConfigurationOnceAndFewerEpochsThanNone() {
    CurvesBenchmark bench = new CurvesBenchmark(new UniformSource());
    SeedResult asha = bench.runSeed(options("asha", 27, 1, 27), 5);
    assertThat(asha.configurations()).isEqualTo(27);
    assertThat(asha.epochs()).isGreaterThanOrEqualTo(27).isLessThan(27 * 27);
    assertThat(asha.regret()).isGreaterThanOrEqualTo(-1e-6);
    double x1 = ((Number) asha.best().get("x1")).doubleValue();
    double x2 = ((Number) asha.best().get("x2")).doubleValue();
    assertThat(asha.regret())
        .isCloseTo(Branin.value(x1, x2) - CurvesBenchmark.BRANIN_MINIMUM, within(1e-12));
    assertThat(asha.observedLoss())
        .isCloseTo(CurvesBenchmark.curveLoss(x1, x2, asha.bestEpoch()), within(1e-12));
    // With 4 slots, the simulated time is well under the epochs spent.
    assertThat(asha.makespan()).isLessThan(asha.epochs());
  }

  @Test
  void theSourceSeesPendingPointsAndOneRungOfObservations() {
    List<SuggestRequest> seen = new ArrayList<>();
    UniformSource uniform = new UniformSource();
    CurvesBenchmark bench =
        new CurvesBenchmark(
            r -> {
              seen.add(r);
              return uniform.apply(r);
            });
    bench.runSeed(options("bohb", 17, 1, 9), 11);
    assertThat(seen.get(0).countOrDefault()).isEqualTo(4);
    assertThat(seen.get(0).observationsOrEmpty()).isEmpty();
    // Multi-fidelity requests key the seed by the configurations created so far, so no two requests
    // share a stream.
    assertThat(seen.get(0).sampler()).isEqualTo(new SamplerSpec("uniform", 11L, null).reseeded(0));
    assertThat(seen.stream().map(r -> r.sampler().seed()).distinct().count())
        .isEqualTo(seen.size());
    assertThat(seen.stream().mapToInt(SuggestRequest::countOrDefault).sum()).isEqualTo(17);
    assertThat(seen.subList(1, seen.size()))
        .allSatisfy(r -> assertThat(r.pendingOrEmpty().size() + r.countOrDefault()).isEqualTo(4));
    // Once rung 0 has its 9 results, later requests learn from rung 0 or higher, never from a mix.
    SuggestRequest last = seen.get(seen.size() - 1);
    assertThat(last.observationsOrEmpty()).isNotEmpty();
    assertThat(last.observationsOrEmpty()).allSatisfy(o -> assertThat(o.values()).hasSize(1));
  }

  @Test
  void resultsAreDeterministicAndSummarisedByQuantiles() {
    Options o = options("asha", 30, 3, 27);
    Result a = new CurvesBenchmark(new UniformSource()).run(o);
    Result b = new CurvesBenchmark(new UniformSource()).run(o);
    assertThat(a).isEqualTo(b);
    assertThat(a.perSeed()).extracting(SeedResult::seed).containsExactly(0L, 1L, 2L);
    double[] regrets = a.perSeed().stream().mapToDouble(SeedResult::regret).sorted().toArray();
    assertThat(a.medianRegret()).isEqualTo(regrets[1]);
    assertThat(a.q25Regret()).isEqualTo((regrets[0] + regrets[1]) / 2);
    assertThat(a.q75Regret()).isEqualTo((regrets[1] + regrets[2]) / 2);
    assertThat(a.rungs()).containsExactly(1, 3, 9, 27);
    assertThat(CurvesBenchmark.quantile(new double[] {4, 1, 3, 2}, 0.25)).isEqualTo(1.75);
  }

  @Test
  void badOptionsAreRefused() {
    assertThatThrownBy(() -> options("mo-asha", 10, 1, 27))
        .hasMessageContaining("scheduler must be one of");
    assertThatThrownBy(() -> options("asha", 0, 1, 27)).hasMessageContaining("at least 1");
    SuggestResponse none = new SuggestResponse(List.of());
    assertThat(
            new CurvesBenchmark(r -> none).runSeed(options("asha", 5, 1, 27), 0).configurations())
        .isZero();
  }
}
