package io.sharpsweep.store.db;

import java.time.Instant;

/**
 * One row of the {@code segment_leases} history, as report ingestion needs it: whose lease it was,
 * whether it ended, and the epoch after which its reports are fenced.
 */
public record LeaseRecord(
    String leaseId,
    long segmentId,
    String studyId,
    String trialId,
    int attempt,
    String workerId,
    Instant endedAt,
    String outcome,
    Integer fenceEpoch) {

  /**
   * Whether this lease's report of {@code epoch} is superseded: the lease ended and another lease
   * of the trial trains that epoch again.
   */
  public boolean fences(int epoch) {
    return endedAt != null && fenceEpoch != null && epoch > fenceEpoch;
  }
}
