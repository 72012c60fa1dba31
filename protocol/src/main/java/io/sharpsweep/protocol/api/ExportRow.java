package io.sharpsweep.protocol.api;

import java.util.Map;

/**
 * One line of {@code GET /v1/studies/{id}/export}: a trial's parameters, state, highest rung
 * reached, and its metrics and cost (cumulative) at its last reported epoch ({@code epoch}, of its
 * latest attempt that reported).
 */
public record ExportRow(
    String trialId,
    Integer number,
    String state,
    int attempt,
    Integer rung,
    Integer epoch,
    Map<String, Object> params,
    Double valAccuracy,
    Double valLoss,
    Double trainLoss,
    Double testAccuracy,
    Double sgdEpochEquivalents,
    Double wallSeconds) {}
