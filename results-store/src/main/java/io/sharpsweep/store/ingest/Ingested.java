package io.sharpsweep.store.ingest;

import io.sharpsweep.store.service.Effects;
import java.util.List;

/**
 * What storing one record did: whether it was new (false for a redelivered duplicate), the
 * decisions to publish now that the transaction has committed, and what it changed in the control
 * plane.
 */
public record Ingested(
    String studyId, boolean stored, List<PendingDecision> decisions, Effects effects) {}
