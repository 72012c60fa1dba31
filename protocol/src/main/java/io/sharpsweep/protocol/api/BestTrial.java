package io.sharpsweep.protocol.api;

import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;
import java.util.Map;

/**
 * The best completed trial for an objective, with the report ({@code attempt}, {@code epoch}) that
 * gave {@code value}.
 */
public record BestTrial(
    String trialId,
    Integer number,
    double value,
    int attempt,
    int epoch,
    Map<String, Object> params,
    Map<String, Object> config,
    Metrics metrics,
    Cost cost,
    String checkpointUri) {}
