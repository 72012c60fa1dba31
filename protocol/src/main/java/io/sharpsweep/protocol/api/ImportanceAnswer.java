package io.sharpsweep.protocol.api;

import io.sharpsweep.protocol.study.Objective;
import java.util.List;

/**
 * {@code GET /v1/studies/{id}/importance}: each parameter's share of the objective's variance over
 * the completed trials ({@code trials} of them had a value), by {@code method} ({@code fanova}: a
 * forest of {@code trees} regression trees bootstrapped with {@code seed}, the study's seed).
 * {@code importances} is empty, and {@code reason} says why, while too few trials have completed or
 * the objective does not vary.
 */
public record ImportanceAnswer(
    String studyId,
    Objective objective,
    String method,
    int trees,
    long seed,
    int trials,
    List<ParamImportance> importances,
    String reason) {}
