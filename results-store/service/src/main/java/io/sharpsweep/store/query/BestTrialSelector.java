package io.sharpsweep.store.query;

import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.ObjectiveValues;
import io.sharpsweep.store.db.ReportRepository.CompletedTrial;
import java.util.List;
import java.util.Optional;

/**
 * Picks the best of a study's completed trials for one objective. A trial's value is the
 * objective's metric in the report of its last epoch; trials without a finite value (e.g. no test
 * accuracy) are skipped. Ties go to the earlier trial in the given order (the store passes them by
 * trial number).
 */
public final class BestTrialSelector {
  private BestTrialSelector() {}

  /** A completed trial and its value for the objective. */
  public record Ranked(CompletedTrial trial, double value) {}

  public static Optional<Ranked> best(List<CompletedTrial> candidates, Objective objective) {
    Ranked best = null;
    for (CompletedTrial t : candidates) {
      Double v = ObjectiveValues.of(objective.name(), t.last().metrics(), t.last().cost());
      if (v == null || !Double.isFinite(v)) {
        continue;
      }
      if (best == null || objective.goal().better(v, best.value())) {
        best = new Ranked(t, v);
      }
    }
    return Optional.ofNullable(best);
  }
}
