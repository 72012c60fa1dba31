package io.sharpsweep.store.db;

import java.time.Instant;

/**
 * A row of {@code trials}. {@code number}, {@code params} and {@code config} (JSON) are null for a
 * placeholder whose trial-created event has not arrived yet; {@code lastEpoch} is the highest epoch
 * reported for {@code attempt}.
 */
public record TrialRow(
    String trialId,
    String studyId,
    Integer number,
    String params,
    String config,
    TrialState state,
    int attempt,
    Integer lastEpoch,
    String reason,
    Instant createdAt,
    Instant updatedAt) {}
