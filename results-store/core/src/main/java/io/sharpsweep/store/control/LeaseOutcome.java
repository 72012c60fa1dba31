package io.sharpsweep.store.control;

import java.util.Locale;

/** How a lease ended, as stored in {@code segment_leases.outcome}. */
public enum LeaseOutcome {
  /** The worker finished the segment (its last report arrived, or it called complete). */
  COMPLETED,
  /** Handed back unfinished: re-queued, no attempt charged. */
  RELEASED,
  /** The worker reported a failure: charged. */
  FAILED,
  /** The deadline passed after progress: re-queued from the last checkpoint, not charged. */
  EXPIRED,
  /** The deadline passed without progress: charged ("worker lost"). */
  LOST,
  /** The worker completed, but the segment's last report never arrived: re-queued. */
  UNCONFIRMED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
