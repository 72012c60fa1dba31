package io.sharpsweep.store.db;

import java.time.Instant;

/**
 * A row of {@code studies}; {@code name} and {@code spec} (JSON) are null for a placeholder (a
 * study known only from reports that overtook its creation). {@code trialsCreated} is the next
 * trial number.
 */
public record StudyRow(
    String id,
    String name,
    String spec,
    String state,
    String reason,
    Instant createdAt,
    Instant updatedAt,
    int trialsCreated) {}
