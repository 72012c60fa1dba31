package io.sharpsweep.worker.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * {@code cnn-small}: conv 3×3 32 → BN → ReLU → max-pool 2 → conv 3×3 64 → BN → ReLU → max-pool 2 →
 * dense 128 → ReLU → dense {@code classes} (the model of the step-time benchmarks in
 * trainer-worker/README.md). Convolutions have no bias (batch norm follows). On 28×28 inputs the
 * dense layer sees 64·7·7 = 3136 features (421 738 parameters for 10 classes).
 */
public final class CnnSmall implements ModelArchitecture {
  public static final String NAME = "cnn-small";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Block build(Shape sampleShape, int classes) {
    return new SequentialBlock()
        .add(Layers.conv(32, 3, 1))
        .add(Layers.batchNorm())
        .add(Activation::relu)
        .add(new MaxPool2x2())
        .add(Layers.conv(64, 3, 1))
        .add(Layers.batchNorm())
        .add(Activation::relu)
        .add(new MaxPool2x2())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(128).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(classes).build());
  }
}
