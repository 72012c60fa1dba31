package io.sharpsweep.protocol.control;

/**
 * Worker → store: how a leased segment ended. {@code epoch} and {@code checkpointUri} are the last
 * epoch checkpointed under the lease (null if none); {@code reason} says why for a release or a
 * failure.
 */
public record LeaseEnd(String workerId, Integer epoch, String checkpointUri, String reason) {}
