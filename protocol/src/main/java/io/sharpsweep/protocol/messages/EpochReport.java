package io.sharpsweep.protocol.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One epoch of one trial, sent once the epoch's checkpoint is written. Identified by (trialId,
 * attempt, epoch): the store keeps the first copy it receives and acknowledges the rest. {@code
 * final} marks the last epoch of the trial.
 */
public record EpochReport(
    int schemaVersion,
    String studyId,
    String trialId,
    int attempt,
    int epoch,
    Metrics metrics,
    Cost cost,
    String workerId,
    String checkpointUri,
    @JsonProperty("final") boolean finalEpoch)
    implements ReportMessage {}
