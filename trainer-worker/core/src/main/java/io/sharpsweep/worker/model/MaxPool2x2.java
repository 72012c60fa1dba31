package io.sharpsweep.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Max pooling over 2×2 windows with stride 2 (floor mode), the same values as PyTorch's {@code
 * max_pool2d}, computed two ways:
 *
 * <ul>
 *   <li>while gradients are recorded (inside a gradient collector): the native {@code max_pool2d},
 *       whose backward routes each gradient to the window's first maximum;
 *   <li>otherwise (evaluation, ESAM's selection forward): the element-wise maximum of the window's
 *       four strided views, much faster than the native kernel, which also writes the argmax
 *       indices (timings in trainer-worker/README.md). The result is the same bit for bit (a
 *       maximum involves no rounding; NaN propagates in both).
 * </ul>
 */
public final class MaxPool2x2 extends AbstractBlock {
  private static final byte VERSION = 1;

  public MaxPool2x2() {
    super(VERSION);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    return new NDList(recordsGradient(x) ? native2x2(x) : stridedMaximum(x));
  }

  static boolean recordsGradient(NDArray x) {
    // Decided by PyTorch's (per-thread) grad mode, which only a GradientCollector turns on: DJL's
    // requiresGrad is false for non-leaf tensors, and asking a tensor without a gradient function
    // for its name crashes the JVM (DJL 0.35). An input that needs no gradient inside a collector
    // just takes the native kernel.
    return !(x instanceof PtNDArray) || JniUtils.isGradMode();
  }

  static NDArray native2x2(NDArray x) {
    return x.getNDArrayInternal().maxPool(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
  }

  /** {@code max(x[…, 0::2, 0::2], x[…, 0::2, 1::2], x[…, 1::2, 0::2], x[…, 1::2, 1::2])}. */
  static NDArray stridedMaximum(NDArray x) {
    Shape s = x.getShape();
    long h = s.get(2) / 2 * 2;
    long w = s.get(3) / 2 * 2;
    NDArray a = x.get(":, :, 0:{}:2, 0:{}:2", h, w);
    NDArray b = x.get(":, :, 0:{}:2, 1:{}:2", h, w);
    NDArray c = x.get(":, :, 1:{}:2, 0:{}:2", h, w);
    NDArray d = x.get(":, :, 1:{}:2, 1:{}:2", h, w);
    return a.maximum(b).maximum(c.maximum(d));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape s = inputs[0];
    return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2)};
  }
}
