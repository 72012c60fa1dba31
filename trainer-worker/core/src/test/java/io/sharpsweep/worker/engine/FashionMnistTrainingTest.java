package io.sharpsweep.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.data.DatasetCache;
import io.sharpsweep.worker.data.DatasetLoader;
import io.sharpsweep.worker.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real epoch on the installed Fashion-MNIST files (Debian's dataset-fashion-mnist; CI installs
 * it).
 */
class FashionMnistTrainingTest {
  @TempDir Path dir;

  @Test
  void oneEpochOfSgdOnTwoThousandImagesIsWellAboveChance() {
    assumeTrue(
        Files.isDirectory(FashionMnist.DEFAULT_DIR),
        "Fashion-MNIST is not installed in " + FashionMnist.DEFAULT_DIR);
    try (NDManager root = TorchRuntime.engine().newBaseManager();
        DatasetCache cache = new DatasetCache(new DatasetLoader(FashionMnist.DEFAULT_DIR), root)) {
      SegmentTrainer trainer =
          new SegmentTrainer(new TrainerSettings("fmnist-test", 1000, true), cache);
      DatasetSpec spec = new DatasetSpec("fashion-mnist", null, 0.1, null, 2000, 1000);
      SegmentAssignment a =
          new SegmentAssignment(
              SchemaVersion.CURRENT,
              "fmnist",
              "t1",
              0,
              Map.of("lr", 0.1, "momentum", 0.9, "batch-size", 32),
              0,
              1,
              1,
              null,
              spec,
              "mlp",
              3L);
      List<EpochReport> reports = new ArrayList<>();
      List<EpochStats> stats = new ArrayList<>();
      trainer.train(
          a,
          new CheckpointStore(dir),
          (r, s) -> {
            reports.add(r);
            stats.add(s);
          });
      EpochReport r = reports.get(0);
      assertThat(r.metrics().valAccuracy()).isGreaterThan(0.5);
      assertThat(r.metrics().testAccuracy()).isGreaterThan(0.5);
      assertThat(r.cost().examplesBackward()).isEqualTo(1800);
      System.out.printf(
          "Fashion-MNIST 1800 images, 1 epoch: val %.4f, test %.4f, %.2f ms/iteration (batch 32)%n",
          r.metrics().valAccuracy(), r.metrics().testAccuracy(), stats.get(0).millisPerIteration());
    }
  }
}
