package io.sharpsweep.protocol.study;

import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;

/**
 * Reads an objective's metric (a name of {@link MetricCatalogue}) from a report's metrics and cost.
 */
public final class ObjectiveValues {
  private ObjectiveValues() {}

  /**
   * The metric's value, or {@code null} when the report does not carry it (e.g. test accuracy
   * mid-trial).
   *
   * @throws IllegalArgumentException for a name that is not in the catalogue
   */
  public static Double of(String metric, Metrics metrics, Cost cost) {
    return MetricCatalogue.of(metric).valueIn(metrics, cost);
  }
}
