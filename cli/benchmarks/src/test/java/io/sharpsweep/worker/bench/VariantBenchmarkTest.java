package io.sharpsweep.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.data.DatasetLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sharpsweep bench-train}'s engine on a tiny run (structure only: no timing assertions). */
class VariantBenchmarkTest {
  @Test
  void timesEveryVariantAgainstSgd() {
    VariantBenchmark.Result r =
        VariantBenchmark.run(
            new VariantBenchmark.Request(
                "mlp",
                16,
                10,
                1,
                5,
                new DatasetSpec("synthetic", null, 0.1, null, 320, 20),
                VariantBenchmark.defaultVariants(0.05),
                1),
            new DatasetLoader(Path.of("/nonexistent")));
    assertThat(r.variants().keySet())
        .containsExactly(
            "sgd",
            "sam",
            "asam",
            "esam",
            "ae-sam",
            "looksam",
            "ae-looksam",
            "msam",
            "rst",
            "sam-k");
    assertThat(r.variants().get("sgd").ratioToSgd()).isEqualTo(1.0);
    assertThat(r.variants().get("sgd").samStepFraction()).isZero();
    assertThat(r.variants().get("sam").samStepFraction()).isEqualTo(1.0);
    // Timed steps are iterations 1..10 (one warm-up): SAM at t = 5 and 10 for k = 5.
    assertThat(r.variants().get("looksam").samStepFraction()).isEqualTo(0.2);
    assertThat(r.variants().get("esam").forwardPasses()).isEqualTo(3 * 11);
    for (VariantBenchmark.Timing t : r.variants().values()) {
      assertThat(t.stepMillisMedian()).isPositive();
      assertThat(t.stepMillisQuartiles()[0]).isLessThanOrEqualTo(t.stepMillisMedian());
    }
    assertThat(VariantBenchmark.percentile(List.of(1.0, 2.0, 3.0, 4.0), 0.5)).isEqualTo(2.5);
  }
}
