package io.sharpsweep.store.db;

import java.time.Instant;

/**
 * A row of {@code rung_results}: a trial's first result at a rung ({@code objective1/2} raw, null
 * when missing) or its permanent failure on the way there, and whether it was promoted from that
 * rung.
 */
public record RungResultRow(
    long id,
    String studyId,
    String trialId,
    int bracket,
    int rung,
    int epoch,
    int attempt,
    Double objective1,
    Double objective2,
    boolean failed,
    boolean promoted,
    Instant createdAt,
    Instant promotedAt) {}
