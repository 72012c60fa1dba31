package io.sharpsweep.store.db;

import java.time.Instant;

/**
 * A row of {@code studies}; {@code name} and {@code spec} (JSON) are null until the study-created
 * event arrived.
 */
public record StudyRow(
    String id,
    String name,
    String spec,
    String state,
    String reason,
    Instant createdAt,
    Instant updatedAt) {}
