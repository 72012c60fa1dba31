package io.sharpsweep.store.db;

import io.sharpsweep.store.control.SegmentState;
import java.time.Instant;

/**
 * A row of {@code segments}; the lease and progress columns describe the current lease. {@code
 * leaseUnstarted}: the lease was granted ahead and no heartbeat said its segment started.
 */
public record SegmentRow(
    long id,
    String studyId,
    String trialId,
    int attempt,
    int fromEpoch,
    int toEpoch,
    String checkpointUri,
    int priority,
    SegmentState state,
    String leaseId,
    String workerId,
    Instant leaseExpiresAt,
    Integer progressEpoch,
    String progressCheckpoint,
    Integer leaseGrantedEpoch,
    boolean leaseUnstarted) {}
