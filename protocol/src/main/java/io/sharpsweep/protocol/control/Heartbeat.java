package io.sharpsweep.protocol.control;

/**
 * Worker → store: the lease is alive; {@code epoch} is the last epoch whose checkpoint is written
 * ({@code checkpointUri}), null before the segment's first epoch ends. The store resumes an expired
 * segment from there. {@code started} is false while the lease is held ahead and its segment has
 * not started training; true or absent (a worker that does not send it) means it has. A lease held
 * ahead that expires before a heartbeat said it started is queued again without charge
 * (docs/control-plane.md, "Lease ahead").
 */
public record Heartbeat(String workerId, Integer epoch, String checkpointUri, Boolean started) {

  /** A heartbeat of a started segment. */
  public Heartbeat(String workerId, Integer epoch, String checkpointUri) {
    this(workerId, epoch, checkpointUri, null);
  }

  /** Whether the lease's segment has started training: true unless {@code started} is false. */
  public boolean segmentStarted() {
    return !Boolean.FALSE.equals(started);
  }
}
