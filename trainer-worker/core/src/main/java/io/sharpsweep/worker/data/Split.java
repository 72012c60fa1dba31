package io.sharpsweep.worker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * One part of a dataset as two native tensors: {@code features} (float32, {@code size ×
 * sampleShape}) and {@code labels} (int64, {@code size}). Batches are gathered from them; there are
 * no per-example objects.
 */
public record Split(NDArray features, NDArray labels, int size) {

  /** The examples at {@code indices} (a row gather), as a batch owned by {@code manager}. */
  public Batch gather(NDManager manager, long[] indices) {
    NDArray idx = manager.create(indices);
    NDIndex take = new NDIndex("{}", idx);
    NDArray x = features.get(take);
    NDArray y = labels.get(take);
    // Results are created in the split's manager; move them to the step's so they are closed with
    // it.
    x.attach(manager);
    y.attach(manager);
    return new Batch(x, y, indices.length);
  }

  /** The contiguous examples {@code [from, to)} (a view-free copy), owned by {@code manager}. */
  public Batch slice(NDManager manager, int from, int to) {
    NDIndex range = new NDIndex().addSliceDim(from, to);
    NDArray x = features.get(range);
    NDArray y = labels.get(range);
    x.attach(manager);
    y.attach(manager);
    return new Batch(x, y, to - from);
  }
}
