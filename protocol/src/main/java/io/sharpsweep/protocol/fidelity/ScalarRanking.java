package io.sharpsweep.protocol.fidelity;

import java.util.Comparator;
import java.util.List;

/**
 * Ranks by the first objective (minimisation form), lower first; a missing or non-finite value
 * ranks after every number; ties go to the earlier arrival.
 */
public final class ScalarRanking implements RungRanking {
  public static final ScalarRanking INSTANCE = new ScalarRanking();

  private static final Comparator<RungEntry> ORDER =
      Comparator.<RungEntry, Boolean>comparing(e -> !Double.isFinite(e.objective(0)))
          .thenComparingDouble(e -> Double.isFinite(e.objective(0)) ? e.objective(0) : 0.0)
          .thenComparingLong(RungEntry::seq);

  private ScalarRanking() {}

  @Override
  public List<RungEntry> rank(List<RungEntry> results) {
    return results.stream().sorted(ORDER).toList();
  }
}
