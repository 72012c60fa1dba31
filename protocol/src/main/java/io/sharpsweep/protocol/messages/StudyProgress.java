package io.sharpsweep.protocol.messages;

/**
 * The store's count of a study's trials after a write, for the scheduler's log and the CLI. {@code
 * trialsParked} counts trials waiting at a rung of a multi-fidelity schedule (null when the
 * producer leaves it out).
 */
public record StudyProgress(
    int schemaVersion,
    String studyId,
    int trialsRunning,
    int trialsCompleted,
    int trialsFailed,
    long reportsStored,
    Double bestValue,
    Integer trialsParked)
    implements DecisionMessage {

  public StudyProgress(
      int schemaVersion,
      String studyId,
      int trialsRunning,
      int trialsCompleted,
      int trialsFailed,
      long reportsStored,
      Double bestValue) {
    this(
        schemaVersion,
        studyId,
        trialsRunning,
        trialsCompleted,
        trialsFailed,
        reportsStored,
        bestValue,
        null);
  }
}
