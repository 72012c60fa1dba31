package io.sharpsweep.protocol.messages;

/**
 * A segment that could not be trained ({@code reason} says why: bad config, missing data, diverged
 * …).
 */
public record TrialFailed(
    int schemaVersion,
    String studyId,
    String trialId,
    int attempt,
    int fromEpoch,
    String reason,
    String workerId)
    implements ReportMessage {}
