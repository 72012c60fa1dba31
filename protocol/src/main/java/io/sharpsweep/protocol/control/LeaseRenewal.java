package io.sharpsweep.protocol.control;

/** Store → worker: the lease now runs until {@code expiresAt} (epoch millis, the store's clock). */
public record LeaseRenewal(String leaseId, long expiresAt) {}
