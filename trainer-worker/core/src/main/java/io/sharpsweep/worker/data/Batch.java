package io.sharpsweep.worker.data;

import ai.djl.ndarray.NDArray;

/**
 * A mini-batch: {@code x} float32 {@code (size, …)} and {@code y} int64 class indices {@code
 * (size)}.
 */
public record Batch(NDArray x, NDArray y, int size) {}
