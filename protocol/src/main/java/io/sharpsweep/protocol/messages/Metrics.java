package io.sharpsweep.protocol.messages;

/** Quality after one epoch; {@code testAccuracy} only on a trial's final epoch. */
public record Metrics(Double valAccuracy, Double valLoss, Double trainLoss, Double testAccuracy) {}
