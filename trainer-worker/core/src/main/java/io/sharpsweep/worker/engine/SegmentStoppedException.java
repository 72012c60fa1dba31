package io.sharpsweep.worker.engine;

/**
 * The segment was stopped by its {@link SegmentControl} at a batch or epoch boundary. Every epoch
 * up to {@link #lastCompletedEpoch()} has its checkpoint and was handed to the listener; the epoch
 * being trained was dropped.
 */
public class SegmentStoppedException extends RuntimeException {
  private final int lastCompletedEpoch;

  public SegmentStoppedException(String message, int lastCompletedEpoch) {
    super(message);
    this.lastCompletedEpoch = lastCompletedEpoch;
  }

  public int lastCompletedEpoch() {
    return lastCompletedEpoch;
  }
}
