package io.sharpsweep.protocol.api;

import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.study.Metric;
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
    Double wallSeconds) {

  /** The row's value of a catalogue metric (its CSV cell); null without a report. */
  public Double value(Metric metric) {
    if (epoch == null) {
      return null;
    }
    return metric.valueIn(
        new Metrics(valAccuracy, valLoss, trainLoss, testAccuracy),
        new Cost(0, 0, 0, 0, wallSeconds, sgdEpochEquivalents));
  }
}
