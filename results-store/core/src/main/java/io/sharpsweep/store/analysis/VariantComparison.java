package io.sharpsweep.store.analysis;

import io.sharpsweep.protocol.api.VariantsAnswer.Point;
import io.sharpsweep.protocol.api.VariantsAnswer.Spread;
import io.sharpsweep.protocol.api.VariantsAnswer.VariantRow;
import io.sharpsweep.protocol.stats.Moments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Is sharpness-aware training worth its cost in this study? Per variant: the spread of its trials'
 * accuracies, its best trial and that trial's cost, SGD's best trial at no more than that cost, and
 * SGD's best at any cost with the accuracy gained per extra unit of cost over it. Accuracies are
 * maximised, costs (SGD-epoch equivalents) minimised; among equally accurate trials the cheaper,
 * then the earlier, counts as the best.
 */
public final class VariantComparison {
  /** One completed trial: its variant, its accuracy and its total cost. */
  public record Run(String trialId, Integer number, String variant, double accuracy, double cost) {}

  /** The rows, the baseline first and then by best accuracy; {@code reason} when SGD is absent. */
  public record Report(Point sgdBest, List<VariantRow> variants, String reason) {}

  public static final String BASELINE = "sgd";

  private static final Comparator<Run> BETTER_FIRST =
      Comparator.comparingDouble(Run::accuracy).reversed().thenComparingDouble(Run::cost);

  private VariantComparison() {}

  private static Point point(Run r) {
    return r == null ? null : new Point(r.trialId(), r.number(), r.accuracy(), r.cost());
  }

  public static Report compare(List<Run> runs) {
    Map<String, List<Run>> byVariant = new LinkedHashMap<>();
    for (Run r : runs) {
      byVariant.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r);
    }
    List<Run> sgd = byVariant.getOrDefault(BASELINE, List.of());
    Run sgdBest = best(sgd);
    List<VariantRow> rows = new ArrayList<>();
    for (Map.Entry<String, List<Run>> e : byVariant.entrySet()) {
      List<Run> trials = e.getValue();
      Run best = best(trials);
      Spread spread = spread(trials.stream().mapToDouble(Run::accuracy).toArray());
      double medianCost = quantile(sorted(trials.stream().mapToDouble(Run::cost).toArray()), 0.5);
      if (e.getKey().equals(BASELINE) || sgdBest == null) {
        String note = e.getKey().equals(BASELINE) ? null : "no completed SGD trial to compare with";
        rows.add(
            new VariantRow(
                e.getKey(), spread, medianCost, point(best), null, null, null, null, null, note));
        continue;
      }
      Run atCost = best(sgd.stream().filter(s -> s.cost() <= best.cost()).toList());
      double gain = best.accuracy() - sgdBest.accuracy();
      double extra = best.cost() - sgdBest.cost();
      String note = null;
      if (atCost == null) {
        note = "every SGD trial cost more than this variant's best";
      } else if (extra <= 0) {
        note = "costs no more than SGD's best: no gain per extra cost";
      }
      rows.add(
          new VariantRow(
              e.getKey(),
              spread,
              medianCost,
              point(best),
              point(atCost),
              atCost == null ? null : best.accuracy() - atCost.accuracy(),
              gain,
              extra,
              extra > 0 ? gain / extra : null,
              note));
    }
    rows.sort(
        Comparator.comparing((VariantRow r) -> !r.variant().equals(BASELINE))
            .thenComparing(r -> -r.best().accuracy())
            .thenComparing(VariantRow::variant));
    String reason =
        runs.isEmpty()
            ? "no completed trial with a value of both the accuracy and the cost"
            : sgdBest == null
                ? "the study has no completed SGD trial: no comparison with SGD"
                : null;
    return new Report(point(sgdBest), rows, reason);
  }

  private static Run best(List<Run> runs) {
    return runs.stream().sorted(BETTER_FIRST).findFirst().orElse(null);
  }

  static Spread spread(double[] values) {
    double[] v = sorted(values);
    int n = v.length;
    double mean = Moments.mean(v);
    double std = Moments.sampleStd(v, mean);
    return new Spread(
        n, mean, std, v[0], quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75), v[n - 1]);
  }

  private static double[] sorted(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v;
  }

  /** Linear interpolation at position (n − 1)·p of the sorted values. */
  static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
