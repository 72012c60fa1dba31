package io.sharpsweep.protocol.control;

import io.sharpsweep.protocol.study.Budget;
import java.util.List;

/**
 * A study's lifecycle and capacity, as the control plane holds it: {@code created} trials so far
 * out of {@code budget.trials}; {@code running} segments leased to a worker, {@code waiting}
 * segments queued for one (new trials, promotions and retries), {@code parked} trials waiting at a
 * rung, {@code completed} and {@code failed} trials; {@code inFlight} the trial ids of the running
 * and waiting segments.
 */
public record StudyStatus(
    String id,
    String name,
    String state,
    String reason,
    long createdAt,
    String scheduler,
    Budget budget,
    int created,
    int running,
    int waiting,
    int parked,
    int completed,
    int failed,
    List<String> inFlight) {}
