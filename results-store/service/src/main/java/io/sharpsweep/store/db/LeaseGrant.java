package io.sharpsweep.store.db;

import java.time.Instant;

/**
 * A lease to grant on a queued segment: its id, holder and deadline; {@code ahead}: asked for by a
 * worker still training its current segment, so not started until a heartbeat says so.
 */
public record LeaseGrant(
    String leaseId, String workerId, Instant expiresAt, Instant now, boolean ahead) {

  /** The same lease held by {@code holder}. */
  public LeaseGrant to(String holder) {
    return new LeaseGrant(leaseId, holder, expiresAt, now, ahead);
  }
}
