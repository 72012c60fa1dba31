package io.sharpsweep.cli.commands;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.sampler.SamplerService;
import io.sharpsweep.store.fidelity.bench.CurvesBenchmark;
import java.util.Locale;
import java.util.Map;

/**
 * The learning-curve problem ({@code bench-search --problem curves}): the results-store's
 * schedulers fed by the real samplers, in-process.
 */
final class CurvesBench {
  private CurvesBench() {}

  static int run(
      String sampler,
      Map<String, Object> options,
      String scheduler,
      int trials,
      int seeds,
      boolean json) {
    CurvesBenchmark.Options o = CurvesBenchmark.Options.standard(scheduler, sampler);
    o =
        new CurvesBenchmark.Options(
            o.scheduler(),
            new SamplerSpec(sampler, 1L, options),
            trials,
            seeds,
            1,
            o.parallelism(),
            o.minEpochs(),
            o.maxEpochs(),
            o.eta());
    CurvesBenchmark.Result r = new CurvesBenchmark(new SamplerService()::suggest).run(o);
    if (json) {
      System.out.println(Json.encodeToString(r));
      return 0;
    }
    System.out.printf(
        Locale.ROOT,
        "curves, %s + %s, %d configurations × %d seeds, %d parallel workers, rungs %s%n",
        sampler,
        scheduler,
        trials,
        seeds,
        r.parallelism(),
        r.rungs());
    System.out.printf(
        Locale.ROOT,
        "  simple regret: median %.4g [%.4g – %.4g]%n",
        r.medianRegret(),
        r.q25Regret(),
        r.q75Regret());
    System.out.printf(
        Locale.ROOT,
        "  epochs trained: median %.0f [%.0f – %.0f]%n",
        r.medianEpochs(),
        r.q25Epochs(),
        r.q75Epochs());
    for (CurvesBenchmark.SeedResult s : r.perSeed()) {
      System.out.printf(
          Locale.ROOT, "  seed %2d: regret %.4g, %d epochs%n", s.seed(), s.regret(), s.epochs());
    }
    return 0;
  }
}
