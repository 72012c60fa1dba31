package io.sharpsweep.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;
import java.time.Instant;

/** One stored epoch report of a trial. */
public record EpochView(
    int attempt,
    int epoch,
    Metrics metrics,
    Cost cost,
    String workerId,
    String checkpointUri,
    @JsonProperty("final") boolean finalEpoch,
    Instant receivedAt) {}
