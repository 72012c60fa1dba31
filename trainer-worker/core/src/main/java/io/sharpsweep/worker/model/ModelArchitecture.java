package io.sharpsweep.worker.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * A network the worker can train, by its catalog name ({@code TrainingCatalog.MODELS}). Adding a
 * model is one class implementing this plus one line in {@link ModelCatalog}. The block maps a
 * batch {@code (B, sample…)} to logits {@code (B, classes)}; its parameters are initialised by
 * {@link SeededInitializer}.
 */
public interface ModelArchitecture {
  String name();

  Block build(Shape sampleShape, int classes);
}
