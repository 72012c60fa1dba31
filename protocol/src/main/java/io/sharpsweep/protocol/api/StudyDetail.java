package io.sharpsweep.protocol.api;

import io.sharpsweep.protocol.study.StudySpec;
import java.time.Instant;

/**
 * {@code GET /v1/studies/{id}}: the spec is absent while the store knows the study only from its
 * reports.
 */
public record StudyDetail(
    String id,
    String name,
    String state,
    String reason,
    StudySpec spec,
    Counts trials,
    long reportsStored,
    Instant createdAt,
    Instant updatedAt) {}
