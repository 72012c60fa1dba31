package io.sharpsweep.store.ingest;

import java.util.List;

/**
 * What storing one record did: whether it was new (false for a redelivered duplicate) and the
 * decisions to publish now that the transaction has committed.
 */
public record Ingested(String studyId, boolean stored, List<PendingDecision> decisions) {}
