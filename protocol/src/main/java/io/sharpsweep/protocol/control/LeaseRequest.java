package io.sharpsweep.protocol.control;

/**
 * Worker → store: "give me a segment to train". The store answers at once when one is queued,
 * otherwise holds the request up to {@code waitSeconds} (long poll; at most 30) and answers 204.
 *
 * <p>With {@code ahead} true the worker is still training its current segment and asks for its next
 * one in advance (docs/control-plane.md, "Lease ahead"): the request never waits, and the store
 * grants it only when no idle worker stands in its line and a queued segment is left over after
 * serving that line; otherwise 204.
 */
public record LeaseRequest(String workerId, Integer waitSeconds, Boolean ahead) {
  /** A request of an idle worker (not ahead). */
  public LeaseRequest(String workerId, Integer waitSeconds) {
    this(workerId, waitSeconds, null);
  }

  /** A request for the next segment while the current one still trains. */
  public static LeaseRequest ahead(String workerId) {
    return new LeaseRequest(workerId, 0, true);
  }

  /** Whether this is a request ahead of the current segment's end. */
  public boolean asksAhead() {
    return Boolean.TRUE.equals(ahead);
  }
}
