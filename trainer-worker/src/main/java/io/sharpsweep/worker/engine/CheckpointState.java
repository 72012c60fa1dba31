package io.sharpsweep.worker.engine;

import io.sharpsweep.protocol.messages.EpochReport;
import java.util.Map;

/**
 * The {@code state.json} of a checkpoint: what the tensors belong to (trial, configuration, data
 * sizes), the counters a resumed trial continues from, the step rule's scalars, and the epoch's
 * report (re-sent when the same segment is delivered again).
 */
public record CheckpointState(
    int formatVersion,
    String studyId,
    String trialId,
    int attempt,
    int epoch,
    int maxEpochs,
    String model,
    long seed,
    TrainingConfig config,
    Map<String, Object> trialConfig,
    int trainSize,
    int iterationsPerEpoch,
    long optimizerSteps,
    CostCounters.Totals cost,
    Map<String, Double> ruleState,
    EpochReport report) {
  public static final int FORMAT_VERSION = 1;
}
