package io.sharpsweep.store.query;

import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.MetricCatalogue;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.TrainingCatalog;
import java.util.TreeSet;

/**
 * Which objective (metric and goal) a query ranks by. Without a metric, the study's first
 * objective; without a goal, the study's goal for that metric, else the metric's natural direction
 * ({@link MetricCatalogue}: accuracies up, losses and costs down). A study known only from its
 * reports (no spec yet) ranks by {@code val_accuracy}.
 */
public final class ObjectiveChoice {
  public static final String FALLBACK_METRIC = "val_accuracy";

  private ObjectiveChoice() {}

  /** The study's first objective (what the study list and progress report). */
  public static Objective primary(StudySpec spec) {
    return resolve(spec, null, null);
  }

  /**
   * @param metric a name of {@link TrainingCatalog#METRICS}, or null for the study's first
   *     objective
   * @param goal {@code maximize}/{@code minimize} (or {@code max}/{@code min}), or null
   * @throws ValidationException naming the {@code objective} or {@code goal} parameter
   */
  public static Objective resolve(StudySpec spec, String metric, String goal) {
    String name = metric == null || metric.isBlank() ? firstObjectiveName(spec) : metric.trim();
    if (MetricCatalogue.find(name).isEmpty()) {
      throw new ValidationException(
          "objective",
          "unknown objective '" + name + "': one of " + new TreeSet<>(TrainingCatalog.METRICS));
    }
    Goal direction;
    if (goal != null && !goal.isBlank()) {
      try {
        direction = Goal.fromWire(goal);
      } catch (IllegalArgumentException e) {
        throw new ValidationException("goal", e.getMessage());
      }
    } else {
      direction = studyGoal(spec, name);
    }
    return new Objective(name, direction);
  }

  private static String firstObjectiveName(StudySpec spec) {
    if (spec == null
        || spec.objectives() == null
        || spec.objectives().isEmpty()
        || spec.objectives().get(0) == null) {
      return FALLBACK_METRIC;
    }
    String name = spec.objectives().get(0).name();
    return name == null ? FALLBACK_METRIC : name;
  }

  private static Goal studyGoal(StudySpec spec, String metric) {
    if (spec != null && spec.objectives() != null) {
      for (Objective o : spec.objectives()) {
        if (o != null && metric.equals(o.name()) && o.goal() != null) {
          return o.goal();
        }
      }
    }
    return MetricCatalogue.of(metric).goal();
  }
}
