package io.sharpsweep.worker.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * {@code resnet18}: ResNet-18 (He et al., CVPR 2016) with the CIFAR stem used by the SAM papers —
 * one 3×3 convolution of 64 at stride 1, no max-pool — then four stages of two basic blocks (64,
 * 128, 256, 512 channels; stride 2 at the start of the last three, with a 1×1 convolution + BN
 * shortcut), global average pooling and a dense layer. About 11.2 M parameters.
 */
public final class ResNet18 implements ModelArchitecture {
  public static final String NAME = "resnet18";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Block build(Shape sampleShape, int classes) {
    SequentialBlock net =
        new SequentialBlock()
            .add(Layers.conv(64, 3, 1))
            .add(Layers.batchNorm())
            .add(Activation::relu);
    int in = 64;
    int[] widths = {64, 128, 256, 512};
    for (int stage = 0; stage < widths.length; stage++) {
      for (int b = 0; b < 2; b++) {
        int stride = stage > 0 && b == 0 ? 2 : 1;
        net.add(basicBlock(in, widths[stage], stride));
        in = widths[stage];
      }
    }
    return net.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(classes).build());
  }

  /** conv-BN-ReLU-conv-BN plus the shortcut, then ReLU. */
  private static Block basicBlock(int in, int out, int stride) {
    Block main =
        new SequentialBlock()
            .add(Layers.conv(out, 3, stride))
            .add(Layers.batchNorm())
            .add(Activation::relu)
            .add(Layers.conv(out, 3, 1))
            .add(Layers.batchNorm());
    Block shortcut =
        stride != 1 || in != out
            ? new SequentialBlock().add(Layers.conv(out, 1, stride)).add(Layers.batchNorm())
            : null;
    return new SequentialBlock().add(Layers.residual(main, shortcut)).add(Activation::relu);
  }
}
