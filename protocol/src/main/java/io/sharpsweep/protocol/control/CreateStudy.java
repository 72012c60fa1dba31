package io.sharpsweep.protocol.control;

import io.sharpsweep.protocol.study.StudySpec;

/**
 * Scheduler → store: create the study {@code id} with {@code spec} (already validated). Idempotent
 * by id: a retried request for an existing id with the same spec answers the existing study.
 */
public record CreateStudy(String id, StudySpec spec, long createdAt) {}
