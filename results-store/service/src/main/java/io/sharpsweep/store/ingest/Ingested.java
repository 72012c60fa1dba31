package io.sharpsweep.store.ingest;

import io.sharpsweep.store.service.Effects;
import java.util.List;

/**
 * What storing one record did: its {@link Outcome}, the decisions to publish now that the
 * transaction has committed, and what it changed in the control plane.
 */
public record Ingested(
    String studyId, Outcome outcome, List<PendingDecision> decisions, Effects effects) {

  /** What became of the record. */
  public enum Outcome {
    /** New: written, with its consequences. */
    STORED,
    /** A redelivered copy (or a straggler that changes nothing): acknowledged without change. */
    DUPLICATE,
    /**
     * An epoch report of a lease that ended before it arrived, for an epoch another lease trains
     * again: dropped, so that the epoch is stored once.
     */
    FENCED
  }

  public boolean stored() {
    return outcome == Outcome.STORED;
  }

  static Outcome storedIf(boolean stored) {
    return stored ? Outcome.STORED : Outcome.DUPLICATE;
  }
}
