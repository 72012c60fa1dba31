package io.sharpsweep.store.control;

/**
 * A segment as the rules see it: attempt {@code attempt} of {@code trialId} trains epochs {@code
 * (fromEpoch, toEpoch]} from {@code checkpointUri}. {@code progress} is the latest checkpoint known
 * beyond {@code fromEpoch} (from a heartbeat or a stored report), null when there is none.
 */
public record Segment(
    long id,
    String trialId,
    int attempt,
    int fromEpoch,
    int toEpoch,
    String checkpointUri,
    int priority,
    SegmentState state,
    Checkpoint progress) {

  /** Whether an epoch beyond the segment's start was checkpointed. */
  public boolean madeProgress() {
    return progress != null && progress.epoch() > fromEpoch;
  }

  /** The segment's start, as a checkpoint. */
  public Checkpoint start() {
    return new Checkpoint(fromEpoch, checkpointUri);
  }
}
