package io.sharpsweep.worker.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * {@code wrn-<depth>-<k>}: Wide ResNet (Zagoruyko, Komodakis, BMVC 2016), the CIFAR network of the
 * SAM papers' headline numbers. A 3×3 convolution of 16, then three groups of {@code (depth − 4)/6}
 * pre-activation basic blocks (BN-ReLU-conv3×3-BN-ReLU-conv3×3) of 16k, 32k and 64k channels
 * (stride 1, 2, 2; a 1×1 convolution on the pre-activated input where the shape changes), a final
 * BN-ReLU, global average pooling and a dense layer. No dropout.
 */
public final class WideResNet implements ModelArchitecture {
  private final int depth;
  private final int widen;

  public WideResNet(int depth, int widen) {
    if (depth < 10 || (depth - 4) % 6 != 0 || widen < 1) {
      throw new IllegalArgumentException(
          "a Wide ResNet needs depth = 6n + 4 ≥ 10 and k ≥ 1, got " + depth + "-" + widen);
    }
    this.depth = depth;
    this.widen = widen;
  }

  @Override
  public String name() {
    return "wrn-" + depth + "-" + widen;
  }

  @Override
  public Block build(Shape sampleShape, int classes) {
    int blocks = (depth - 4) / 6;
    SequentialBlock net = new SequentialBlock().add(Layers.conv(16, 3, 1));
    int in = 16;
    int[] widths = {16 * widen, 32 * widen, 64 * widen};
    for (int group = 0; group < 3; group++) {
      for (int b = 0; b < blocks; b++) {
        int stride = group > 0 && b == 0 ? 2 : 1;
        net.add(block(in, widths[group], stride));
        in = widths[group];
      }
    }
    return net.add(Layers.batchNorm())
        .add(Activation::relu)
        .add(Pool.globalAvgPool2dBlock())
        .add(Linear.builder().setUnits(classes).build());
  }

  private static Block block(int in, int out, int stride) {
    Block convs =
        new SequentialBlock()
            .add(Layers.conv(out, 3, stride))
            .add(Layers.batchNorm())
            .add(Activation::relu)
            .add(Layers.conv(out, 3, 1));
    if (in == out && stride == 1) {
      return Layers.residual(
          new SequentialBlock().add(Layers.batchNorm()).add(Activation::relu).add(convs), null);
    }
    // The shortcut sees the pre-activated input, as in the reference implementation.
    return new SequentialBlock()
        .add(Layers.batchNorm())
        .add(Activation::relu)
        .add(Layers.residual(convs, Layers.conv(out, 1, stride)));
  }
}
