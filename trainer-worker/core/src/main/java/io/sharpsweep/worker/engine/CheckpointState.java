package io.sharpsweep.worker.engine;

import io.sharpsweep.protocol.messages.EpochReport;
import java.util.Map;

/**
 * The {@code state.json} of a checkpoint: what the tensors belong to (trial, configuration, data
 * sizes), the counters a resumed trial continues from, the step rule's host state — {@code
 * ruleState} numbers (AE-SAM's μ and σ²) and {@code ruleIntegers} (RNG states of RST and ESAM's
 * mask, counters, flags; exact as longs) — and the epoch's report (re-sent when the same segment is
 * delivered again). The rule's tensors (LookSAM's stored direction) are in {@code rule.ndlist}.
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
    Map<String, Long> ruleIntegers,
    EpochReport report) {
  public static final int FORMAT_VERSION = 2;

  /** This state with the rule's host state. */
  public CheckpointState withRuleState(Map<String, Double> numbers, Map<String, Long> integers) {
    return new CheckpointState(
        formatVersion,
        studyId,
        trialId,
        attempt,
        epoch,
        maxEpochs,
        model,
        seed,
        config,
        trialConfig,
        trainSize,
        iterationsPerEpoch,
        optimizerSteps,
        cost,
        Map.copyOf(numbers),
        Map.copyOf(integers),
        report);
  }
}
