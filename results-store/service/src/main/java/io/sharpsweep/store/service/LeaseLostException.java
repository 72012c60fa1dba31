package io.sharpsweep.store.service;

/** The lease is not (or no longer) the segment's: it expired, or another worker holds it. */
public class LeaseLostException extends ConflictException {
  public LeaseLostException(String leaseId) {
    super(
        "leaseId",
        "lease '"
            + leaseId
            + "' is not held: it expired or ended, and the segment may be another worker's");
  }
}
