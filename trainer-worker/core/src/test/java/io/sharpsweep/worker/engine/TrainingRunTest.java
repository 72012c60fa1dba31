package io.sharpsweep.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.worker.data.DatasetLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sharpsweep train}'s engine: one configuration trained in-process and summarised. */
class TrainingRunTest {
  @Test
  void trainsOneConfigurationAndSummarisesMetricsAndCosts() {
    List<Integer> iterations = new ArrayList<>();
    List<Integer> epochs = new ArrayList<>();
    TrainingRun.Summary s =
        TrainingRun.run(
            new TrainingRun.Request(
                SegmentTrainerTest.SYNTHETIC,
                "mlp",
                Map.of("variant", "esam", "rho", 0.05, "beta", 0.6, "gamma", 0.5, "batch-size", 64),
                2,
                1),
            new DatasetLoader(Path.of("/nonexistent")),
            (epoch, iteration, perEpoch, stats, nanos) -> iterations.add(iteration),
            (report, stats) -> epochs.add(report.epoch()));
    assertThat(epochs).containsExactly(1, 2);
    assertThat(iterations).hasSize(18);
    assertThat(s.variant()).isEqualTo("esam");
    assertThat(s.trainSize()).isEqualTo(576);
    assertThat(s.valAccuracy()).isBetween(0.0, 1.0);
    assertThat(s.testAccuracy()).isBetween(0.0, 1.0);
    assertThat(s.samStepFraction()).isEqualTo(1.0);
    assertThat(s.forwardPasses()).isEqualTo(3 * 18);
    assertThat(s.backwardPasses()).isEqualTo(2 * 18);
    // Per epoch: 576 through pass 1, 9 × 32 through pass 2, 576 forward-only at a third.
    assertThat(s.sgdEpochEquivalents()).isEqualTo(2 * (576 + 288 + 576 / 3.0) / 576);
    assertThat(s.stepMillisMedian()).isPositive();
    assertThat(s.imagesPerSecond()).isPositive();
  }
}
