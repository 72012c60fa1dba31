package io.sharpsweep.protocol.api;

/**
 * One rung of a study: {@code trials} arrived with a result, {@code promoted} of them went on,
 * {@code parked} wait there now, {@code completed} finished there (last rung), {@code failed}
 * failed for good on their way to it, and {@code running} are training towards it now.
 */
public record RungOccupancy(
    int rung,
    int epoch,
    int trials,
    int promoted,
    int parked,
    int completed,
    int failed,
    int running) {}
