package io.sharpsweep.protocol.control;

import io.sharpsweep.protocol.messages.SegmentAssignment;

/**
 * A segment leased to one worker until {@code expiresAt} (epoch millis, the store's clock). The
 * worker renews it every {@code heartbeatMillis} and must stop training if it has not renewed it
 * for {@code ttlMillis} — by then the store may have given the segment to another worker.
 */
public record Lease(
    String leaseId,
    String workerId,
    long expiresAt,
    long ttlMillis,
    long heartbeatMillis,
    SegmentAssignment assignment) {}
