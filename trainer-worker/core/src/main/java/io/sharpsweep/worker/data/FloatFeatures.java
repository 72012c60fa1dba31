package io.sharpsweep.worker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/** Float features (already scaled) and int labels. */
final class FloatFeatures implements HostExamples {
  private final float[] features;
  private final int[] labels;
  private final Shape sampleShape;
  private final int sampleSize;

  FloatFeatures(float[] features, int[] labels, Shape sampleShape) {
    this.features = features;
    this.labels = labels;
    this.sampleShape = sampleShape;
    this.sampleSize = Math.toIntExact(sampleShape.size());
    if ((long) labels.length * sampleSize != features.length) {
      throw new IllegalArgumentException(
          labels.length + " labels but " + features.length + " feature values");
    }
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public Shape sampleShape() {
    return sampleShape;
  }

  @Override
  public int label(int i) {
    return labels[i];
  }

  @Override
  public NDArray features(NDManager manager, int[] rows) {
    FloatBuffer buf = FloatBuffer.allocate(Math.multiplyExact(rows.length, sampleSize));
    for (int r : rows) {
      buf.put(features, r * sampleSize, sampleSize);
    }
    buf.flip();
    return manager.create(buf, new Shape(rows.length).addAll(sampleShape));
  }
}
