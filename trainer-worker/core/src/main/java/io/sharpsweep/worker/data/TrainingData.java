package io.sharpsweep.worker.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A dataset decoded once into native memory: the training split (after the validation hold-out),
 * the validation split and the test split. Closing it frees the tensors.
 *
 * @param name the dataset's name ({@code fashion-mnist}, {@code synthetic}, …)
 * @param sampleShape shape of one example, e.g. {@code (1, 28, 28)}
 * @param classes number of classes
 */
public record TrainingData(
    String name,
    Shape sampleShape,
    int classes,
    Split train,
    Split validation,
    Split test,
    NDManager manager)
    implements AutoCloseable {

  @Override
  public void close() {
    manager.close();
  }
}
