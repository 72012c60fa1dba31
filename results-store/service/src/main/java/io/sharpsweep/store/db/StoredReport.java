package io.sharpsweep.store.db;

import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;
import java.time.Instant;

/** A row of {@code epoch_reports}: the first copy of an epoch report the store received. */
public record StoredReport(
    String studyId,
    String trialId,
    int attempt,
    int epoch,
    Metrics metrics,
    Cost cost,
    String workerId,
    String checkpointUri,
    boolean finalEpoch,
    Instant receivedAt) {}
