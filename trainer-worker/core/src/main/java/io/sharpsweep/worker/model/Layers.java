package io.sharpsweep.worker.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/** Building blocks the convolutional models share. */
final class Layers {
  private Layers() {}

  /** A square convolution without bias (a batch norm follows it), "same" padding. */
  static Block conv(int filters, int kernel, int stride) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .setFilters(filters)
        .optBias(false)
        .build();
  }

  /** Batch norm over channels, PyTorch's defaults (momentum 0.1 = DJL's 0.9, ε = 1e-5). */
  static Block batchNorm() {
    return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
  }

  /** {@code main(x) + shortcut(x)}; an identity shortcut when {@code shortcut} is null. */
  static Block residual(Block main, Block shortcut) {
    return new ParallelBlock(
        outputs ->
            new NDList(outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow())),
        List.of(main, shortcut == null ? Blocks.identityBlock() : shortcut));
  }
}
