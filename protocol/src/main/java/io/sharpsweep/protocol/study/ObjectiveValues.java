package io.sharpsweep.protocol.study;

import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;

/**
 * Reads an objective's metric (a name of {@link TrainingCatalog#METRICS}) from a report's metrics
 * and cost.
 */
public final class ObjectiveValues {
  private ObjectiveValues() {}

  /**
   * The metric's value, or {@code null} when the report does not carry it (e.g. test accuracy
   * mid-trial).
   */
  public static Double of(String metric, Metrics metrics, Cost cost) {
    return switch (metric) {
      case "val_accuracy" -> metrics == null ? null : metrics.valAccuracy();
      case "val_loss" -> metrics == null ? null : metrics.valLoss();
      case "train_loss" -> metrics == null ? null : metrics.trainLoss();
      case "test_accuracy" -> metrics == null ? null : metrics.testAccuracy();
      case "sgd_epoch_equivalents" -> cost == null ? null : cost.sgdEpochEquivalents();
      case "wall_seconds" -> cost == null ? null : cost.wallSeconds();
      default ->
          throw new IllegalArgumentException(
              "unknown metric '" + metric + "': one of " + TrainingCatalog.METRICS);
    };
  }
}
