package io.sharpsweep.worker;

import io.sharpsweep.worker.engine.SegmentResult;

/** How training a segment ended, as the lease loop needs to know it. */
public sealed interface SegmentOutcome {

  /** Every epoch trained (or re-sent) and every report acknowledged by the broker. */
  record Completed(SegmentResult result) implements SegmentOutcome {}

  /** Stopped at a batch or epoch boundary: the lease was lost or the worker is shutting down. */
  record Stopped(String message) implements SegmentOutcome {}

  /** A failure the trial cannot recover from on a retry of the same segment by this worker. */
  record Failed(String reason) implements SegmentOutcome {}
}
