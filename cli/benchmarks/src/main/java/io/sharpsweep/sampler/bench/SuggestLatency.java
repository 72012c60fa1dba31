package io.sharpsweep.sampler.bench;

import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.sampler.SamplerService;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * The latency of one {@code /v1/suggest} call (in-process: validation, model, suggestion checks; no
 * HTTP) with a long history: {@code observations} uniformly random points of the Hartmann-6 space
 * (6 float parameters) with their Hartmann-6 values. Each timed call has another seed, so no call
 * repeats another; the first quarter of the calls (at least 5) warm the JIT up and are not counted.
 */
public final class SuggestLatency {

  private SuggestLatency() {}

  /** Milliseconds per call. */
  public record Result(
      String sampler,
      Map<String, Object> options,
      int observations,
      int parameters,
      int calls,
      double medianMs,
      double p99Ms,
      double maxMs) {
    public String toTable() {
      return String.format(
          Locale.ROOT,
          "suggest latency, %s %s, %d observations, %d parameters, %d calls: median %.2f ms, p99"
              + " %.2f ms, max %.2f ms",
          sampler,
          options.isEmpty() ? "" : options.toString(),
          observations,
          parameters,
          calls,
          medianMs,
          p99Ms,
          maxMs);
    }
  }

  public static Result measure(
      String sampler, Map<String, Object> options, int observations, int calls) {
    Problem problem = new Hartmann6();
    UnitCubeEncoding encoding = new UnitCubeEncoding(problem.space());
    RandomGenerator random = new Well19937c(20240601L);
    List<Observation> history = new ArrayList<>(observations);
    for (int i = 0; i < observations; i++) {
      double[] u = new double[encoding.dimensions()];
      for (int d = 0; d < u.length; d++) {
        u[d] = random.nextDouble();
      }
      Map<String, Object> params = encoding.decode(u);
      history.add(new Observation(params, List.of(problem.evaluate(params)[0])));
    }
    SamplerService service = new SamplerService();
    int warmup = Math.max(5, calls / 4);
    double[] ms = new double[calls];
    for (int c = -warmup; c < calls; c++) {
      SuggestRequest request =
          new SuggestRequest(
              problem.space(),
              problem.objectives(),
              new SamplerSpec(sampler, 1000L + c, options),
              history,
              List.of(),
              1);
      long t0 = System.nanoTime();
      service.suggest(request);
      long t1 = System.nanoTime();
      if (c >= 0) {
        ms[c] = (t1 - t0) / 1e6;
      }
    }
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    return new Result(
        sampler,
        options,
        observations,
        encoding.dimensions(),
        calls,
        SearchBenchmark.quantile(ms, 0.5),
        SearchBenchmark.quantile(ms, 0.99),
        sorted[sorted.length - 1]);
  }
}
