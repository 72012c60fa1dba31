package io.sharpsweep.protocol.control;

/**
 * Worker → store: the lease is alive; {@code epoch} is the last epoch whose checkpoint is written
 * ({@code checkpointUri}), null before the segment's first epoch ends. The store resumes an expired
 * segment from there.
 */
public record Heartbeat(String workerId, Integer epoch, String checkpointUri) {}
