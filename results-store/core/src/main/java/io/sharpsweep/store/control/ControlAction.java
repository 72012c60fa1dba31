package io.sharpsweep.store.control;

/** What the rules want done; the caller applies the actions in order. */
public sealed interface ControlAction {

  /** Queue a new segment. */
  record Enqueue(
      String trialId, int attempt, int fromEpoch, int toEpoch, String checkpointUri, int priority)
      implements ControlAction {}

  /**
   * End a segment ({@code to}: done, failed or cancelled); {@code outcome} ends its lease, if any.
   * {@code fenceAfter}, when not null, is the epoch another segment trains the trial on from (a
   * retry): the ended lease's reports of later epochs are dropped when they arrive.
   */
  record Close(long segmentId, SegmentState to, LeaseOutcome outcome, Integer fenceAfter)
      implements ControlAction {
    public Close(long segmentId, SegmentState to, LeaseOutcome outcome) {
      this(segmentId, to, outcome, null);
    }
  }

  /**
   * Queue a segment again, same attempt, from {@code from}; {@code outcome} ends its lease, whose
   * reports of epochs after {@code from} are dropped when they arrive (the next lease trains them).
   */
  record Requeue(long segmentId, Checkpoint from, LeaseOutcome outcome) implements ControlAction {}

  /**
   * Wait for the segment's last report: its worker checkpointed the last epoch but the report is
   * not stored yet ({@code outcome} ends its lease).
   */
  record AwaitReport(long segmentId, LeaseOutcome outcome) implements ControlAction {}

  /**
   * The trial goes on as attempt {@code attempt}: the previous attempt's segment from {@code
   * fromEpoch} failed with {@code reason}.
   */
  record RetryTrial(String trialId, int attempt, int fromEpoch, String reason)
      implements ControlAction {}

  /** The trial failed for good: attempt {@code attempt}'s segment from {@code fromEpoch} failed. */
  record FailTrial(String trialId, int attempt, int fromEpoch, String reason)
      implements ControlAction {}

  /** The study ends in {@code state} (completed, cancelled or failed). */
  record EndStudy(String state, String reason) implements ControlAction {}
}
