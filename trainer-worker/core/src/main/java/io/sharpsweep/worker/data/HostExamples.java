package io.sharpsweep.worker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Examples as read from disk (or generated), still on the Java heap, before they become one tensor
 * per split. Only the loader sees this; training never touches per-example objects.
 */
interface HostExamples {
  int size();

  Shape sampleShape();

  int label(int i);

  /**
   * The features of {@code rows}, in that order, as one float32 tensor {@code (rows.length,
   * sampleShape…)}.
   */
  NDArray features(NDManager manager, int[] rows);
}
