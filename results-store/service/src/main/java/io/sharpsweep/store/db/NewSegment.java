package io.sharpsweep.store.db;

/** A segment to queue: attempt, epochs {@code (fromEpoch, toEpoch]}, start checkpoint, priority. */
public record NewSegment(
    String studyId,
    String trialId,
    int attempt,
    int fromEpoch,
    int toEpoch,
    String checkpointUri,
    int priority) {}
