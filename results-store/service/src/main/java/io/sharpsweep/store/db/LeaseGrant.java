package io.sharpsweep.store.db;

import java.time.Instant;

/** A lease to grant on a queued segment: its id, holder and deadline. */
public record LeaseGrant(String leaseId, String workerId, Instant expiresAt, Instant now) {}
