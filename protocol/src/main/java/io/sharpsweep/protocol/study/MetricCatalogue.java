package io.sharpsweep.protocol.study;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every metric an objective can name, once: the spec's validation, the reading of an objective from
 * a report, the store's natural goals, columns and export, and the dashboard (through {@code GET
 * /v1/metrics}) take them from here. A new metric is one entry below, a field of the report it is
 * read from, and the column that stores it (docs/extending.md).
 */
public final class MetricCatalogue {
  public static final Metric VAL_ACCURACY =
      new Metric(
          "val_accuracy",
          Goal.MAXIMIZE,
          "fraction",
          "val_accuracy",
          "val accuracy",
          "val acc",
          4,
          "metrics.valAccuracy",
          false,
          (m, c) -> m == null ? null : m.valAccuracy());

  public static final Metric VAL_LOSS =
      new Metric(
          "val_loss",
          Goal.MINIMIZE,
          "nats",
          "val_loss",
          "val loss",
          "val loss",
          4,
          "metrics.valLoss",
          false,
          (m, c) -> m == null ? null : m.valLoss());

  public static final Metric TRAIN_LOSS =
      new Metric(
          "train_loss",
          Goal.MINIMIZE,
          "nats",
          "train_loss",
          "train loss",
          "train loss",
          4,
          "metrics.trainLoss",
          false,
          (m, c) -> m == null ? null : m.trainLoss());

  public static final Metric TEST_ACCURACY =
      new Metric(
          "test_accuracy",
          Goal.MAXIMIZE,
          "fraction",
          "test_accuracy",
          "test accuracy",
          "test acc",
          4,
          "metrics.testAccuracy",
          false,
          (m, c) -> m == null ? null : m.testAccuracy());

  public static final Metric SGD_EPOCH_EQUIVALENTS =
      new Metric(
          "sgd_epoch_equivalents",
          Goal.MINIMIZE,
          "SGD epochs",
          "sgd_epoch_equivalents",
          "cost (SGD-epoch equivalents)",
          "cost (SGD ep.)",
          2,
          "cost.sgdEpochEquivalents",
          true,
          (m, c) -> c == null ? null : c.sgdEpochEquivalents());

  public static final Metric WALL_SECONDS =
      new Metric(
          "wall_seconds",
          Goal.MINIMIZE,
          "s",
          "wall_seconds",
          "wall seconds",
          "wall s",
          1,
          "cost.wallSeconds",
          true,
          (m, c) -> c == null ? null : c.wallSeconds());

  /** In the order the API, the export and the dashboard list them. */
  private static final Map<String, Metric> BY_NAME =
      index(VAL_ACCURACY, VAL_LOSS, TRAIN_LOSS, TEST_ACCURACY, SGD_EPOCH_EQUIVALENTS, WALL_SECONDS);

  private MetricCatalogue() {}

  private static Map<String, Metric> index(Metric... metrics) {
    Map<String, Metric> out = new LinkedHashMap<>();
    for (Metric m : metrics) {
      if (out.putIfAbsent(m.name(), m) != null) {
        throw new IllegalStateException("metric '" + m.name() + "' is listed twice");
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Every metric, in the catalogue's order. */
  public static List<Metric> all() {
    return List.copyOf(BY_NAME.values());
  }

  /** The names, in the catalogue's order. */
  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  public static Optional<Metric> find(String name) {
    return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
  }

  /**
   * @throws IllegalArgumentException for a name that is not in the catalogue
   */
  public static Metric of(String name) {
    return find(name)
        .orElseThrow(
            () -> new IllegalArgumentException("unknown metric '" + name + "': one of " + names()));
  }
}
