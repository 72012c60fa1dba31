package io.sharpsweep.protocol.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A trial with every epoch report stored for it (by epoch, then attempt). {@code number}, {@code
 * params} and {@code config} are absent while the trial is known only from its reports; {@code
 * lastEpoch} is the highest epoch of the current {@code attempt}; {@code rung} the highest rung the
 * trial reached with a result.
 */
public record TrialView(
    String trialId,
    Integer number,
    String state,
    int attempt,
    Integer lastEpoch,
    Integer rung,
    String reason,
    Map<String, Object> params,
    Map<String, Object> config,
    Instant createdAt,
    Instant updatedAt,
    List<EpochView> epochs) {}
