package io.sharpsweep.store.db;

/**
 * A {@code rung_results} row to insert: a trial's arrival at a rung of its bracket with its raw
 * objective values (null when missing), or its permanent failure on the way there.
 */
public record NewRungResult(
    String studyId,
    String trialId,
    int bracket,
    int rung,
    int epoch,
    int attempt,
    Double objective1,
    Double objective2,
    boolean failed) {}
