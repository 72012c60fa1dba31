package io.sharpsweep.protocol.control;

/**
 * Work for autoscalers: segments {@code queued} for a worker, {@code leased} to one, and {@code
 * wanted} = queued + leased (the worker count that would leave no segment waiting).
 */
public record QueueDepth(int queued, int leased, int wanted) {}
