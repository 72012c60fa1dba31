package io.sharpsweep.store.control;

/**
 * A promote verdict of the rung bookkeeping: train attempt {@code attempt} of {@code trialId} from
 * {@code fromEpoch} (the epoch of rung {@code rung}) to {@code toEpoch}, from {@code checkpointUri}
 * (the stored report's).
 */
public record Promotion(
    String trialId, int attempt, int rung, int fromEpoch, int toEpoch, String checkpointUri) {}
