package io.sharpsweep.protocol.api;

/** One epoch of a learning curve, flat for plotting; cost is cumulative up to the epoch. */
public record CurvePoint(
    int epoch,
    int attempt,
    Double valAccuracy,
    Double valLoss,
    Double trainLoss,
    Double testAccuracy,
    double sgdEpochEquivalents,
    double wallSeconds) {}
