package io.sharpsweep.protocol.messages;

import java.util.Map;

/**
 * A trial was created with its configuration (sampled parameters merged over the study's fixed
 * ones).
 */
public record TrialCreated(
    int schemaVersion,
    String studyId,
    String trialId,
    int number,
    Map<String, Object> params,
    Map<String, Object> config,
    long createdAt)
    implements StudyEvent {}
