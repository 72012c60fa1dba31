package io.sharpsweep.worker.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/** {@code mlp}: flatten → 256 → ReLU → 128 → ReLU → classes (784-256-128-10 on Fashion-MNIST). */
public final class Mlp implements ModelArchitecture {
  public static final String NAME = "mlp";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Block build(Shape sampleShape, int classes) {
    return new SequentialBlock()
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(256).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(128).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(classes).build());
  }
}
