package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.messages.RungDecision;

/** A decision committed to the database and not yet acknowledged by the broker. */
public record PendingDecision(long id, RungDecision decision) {}
