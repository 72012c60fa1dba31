package io.sharpsweep.protocol.api;

import io.sharpsweep.protocol.study.Objective;
import java.time.Instant;

/**
 * One line of {@code GET /v1/studies}: {@code bestValue} is the best value of {@code objective}
 * (the study's first) among its completed trials, absent while none has completed.
 */
public record StudySummary(
    String id,
    String name,
    String state,
    Counts trials,
    Objective objective,
    Double bestValue,
    Instant createdAt) {}
