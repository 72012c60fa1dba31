package io.sharpsweep.worker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * Unsigned-byte images and labels; features are scaled to [0, 1] (pixel / 255) when the tensor is
 * made and, when channel statistics are given, standardised per channel ({@code (x − mean_c) /
 * std_c}, channels on the first sample axis).
 */
final class ByteImages implements HostExamples {
  private final byte[] pixels;
  private final byte[] labels;
  private final Shape sampleShape;
  private final int sampleSize;
  private final float[] channelMean;
  private final float[] channelStd;

  ByteImages(byte[] pixels, byte[] labels, Shape sampleShape) {
    this(pixels, labels, sampleShape, null, null);
  }

  ByteImages(
      byte[] pixels, byte[] labels, Shape sampleShape, float[] channelMean, float[] channelStd) {
    this.channelMean = channelMean;
    this.channelStd = channelStd;
    this.pixels = pixels;
    this.labels = labels;
    this.sampleShape = sampleShape;
    this.sampleSize = Math.toIntExact(sampleShape.size());
    if ((long) labels.length * sampleSize != pixels.length) {
      throw new IllegalArgumentException(
          labels.length + " labels but " + pixels.length + " pixel bytes");
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
    return labels[i] & 0xff;
  }

  @Override
  public NDArray features(NDManager manager, int[] rows) {
    ByteBuffer buf = ByteBuffer.allocateDirect(Math.multiplyExact(rows.length, sampleSize));
    for (int r : rows) {
      buf.put(pixels, r * sampleSize, sampleSize);
    }
    buf.flip();
    Shape shape = new Shape(rows.length).addAll(sampleShape);
    try (NDManager tmp = manager.newSubManager()) {
      NDArray bytes = tmp.create(buf, shape, DataType.UINT8);
      NDArray scaled = bytes.toType(DataType.FLOAT32, false).divi(255f);
      if (channelMean != null) {
        Shape channels = new Shape(1, channelMean.length, 1, 1);
        scaled =
            scaled
                .subi(tmp.create(channelMean).reshape(channels))
                .divi(tmp.create(channelStd).reshape(channels));
      }
      scaled.attach(manager);
      return scaled;
    }
  }
}
