package io.sharpsweep.protocol.messages;

import io.sharpsweep.protocol.study.StudySpec;

/** A study was accepted by the scheduler. {@code createdAt} is epoch milliseconds. */
public record StudyCreated(int schemaVersion, String studyId, StudySpec spec, long createdAt)
    implements StudyEvent {}
