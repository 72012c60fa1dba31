package io.sharpsweep.protocol.messages;

/** The store's count of a study's trials after a write, for the scheduler's log and the CLI. */
public record StudyProgress(
    int schemaVersion,
    String studyId,
    int trialsRunning,
    int trialsCompleted,
    int trialsFailed,
    long reportsStored,
    Double bestValue)
    implements DecisionMessage {}
