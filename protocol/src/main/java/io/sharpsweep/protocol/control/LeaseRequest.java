package io.sharpsweep.protocol.control;

/**
 * Worker → store: "give me a segment to train". The store answers at once when one is queued,
 * otherwise holds the request up to {@code waitSeconds} (long poll; at most 30) and answers 204.
 */
public record LeaseRequest(String workerId, Integer waitSeconds) {}
