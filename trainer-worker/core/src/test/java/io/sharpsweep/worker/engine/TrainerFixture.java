package io.sharpsweep.worker.engine;

import ai.djl.ndarray.NDManager;
import io.sharpsweep.worker.data.DatasetCache;
import io.sharpsweep.worker.data.DatasetLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A segment trainer on the synthetic dataset for one test class, with the NDManager its arrays live
 * in: {@code @RegisterExtension static final TrainerFixture fixture = new TrainerFixture("id");}.
 */
final class TrainerFixture implements BeforeAllCallback, AfterAllCallback {
  private final String workerId;
  private NDManager root;
  private DatasetCache datasets;
  private SegmentTrainer trainer;

  TrainerFixture(String workerId) {
    this.workerId = workerId;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    root = TorchRuntime.engine().newBaseManager();
    // Only the synthetic dataset, which needs no files.
    datasets = new DatasetCache(new DatasetLoader(Path.of("/nonexistent")), root);
    trainer = new SegmentTrainer(new TrainerSettings(workerId, 256, true), datasets);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    datasets.close();
    root.close();
  }

  NDManager root() {
    return root;
  }

  DatasetCache datasets() {
    return datasets;
  }

  SegmentTrainer trainer() {
    return trainer;
  }
}
