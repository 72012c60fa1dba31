package io.sharpsweep.sampler.tpe;

import io.sharpsweep.protocol.pareto.Hypervolume;
import io.sharpsweep.protocol.pareto.Pareto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * TPE's split of the observations into the good group (the {@code l(x)} estimator's) and the rest
 * ({@code g(x)}'s), and the weights of each group.
 *
 * <p>One objective: the {@code nBelow} smallest losses are good (Bergstra et al., 2011). Several
 * objectives: MOTPE's split (Ozaki, Tanigaki, Watanabe and Onishi, "Multiobjective tree-structured
 * Parzen estimator for computationally expensive optimization problems", GECCO 2020, §3): whole
 * fronts of the non-dominated sorting are taken in rank order and the front that does not fit is
 * cut by greedy hypervolume subset selection; the good points are then weighted by their
 * hypervolume contribution, so a point that adds little to the front counts little. Objectives are
 * scaled to {@code [0, 1]} over the observations first, so neither the split nor the weights depend
 * on their units.
 */
public final class ObservationSplit {

  private ObservationSplit() {}

  /** Optuna's default {@code gamma}: {@code min(ceil(fraction * n), max)}. */
  public static int goodCount(int n, double fraction, int max) {
    return Math.min((int) Math.ceil(fraction * n), max);
  }

  /**
   * The weights of {@code n} observations in the order they were made (Optuna's {@code
   * default_weights}): the newest 25 weigh 1, older ones ramp linearly from {@code 1/n} up to 1, so
   * the bad group forgets where the study started.
   */
  public static double[] recencyWeights(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1.0);
    int ramp = n - 25;
    if (ramp > 0) {
      for (int i = 0; i < ramp; i++) {
        // linspace(1/n, 1, ramp)
        w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1);
      }
    }
    return w;
  }

  /**
   * Which of the observations are good: {@code good[i]} for row {@code i} of {@code losses} ({@code
   * [observation][objective]}, smaller is better), exactly {@code nGood} of them.
   */
  public static boolean[] good(double[][] losses, int nGood) {
    int n = losses.length;
    boolean[] good = new boolean[n];
    if (nGood <= 0 || n == 0) {
      return good;
    }
    if (losses[0].length == 1) {
      Integer[] order = new Integer[n];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> losses[i][0]));
      for (int r = 0; r < Math.min(nGood, n); r++) {
        good[order[r]] = true;
      }
      return good;
    }
    double[][] scaled = scaled(losses);
    int[] rank = Pareto.ranks(scaled);
    int taken = 0;
    for (int r = 0; taken < nGood; r++) {
      List<Integer> front = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (rank[i] == r) {
          front.add(i);
        }
      }
      if (front.isEmpty()) {
        break;
      }
      if (taken + front.size() <= nGood) {
        for (int i : front) {
          good[i] = true;
        }
        taken += front.size();
        continue;
      }
      double[][] pts = new double[front.size()][];
      for (int f = 0; f < pts.length; f++) {
        pts[f] = scaled[front.get(f)];
      }
      for (int f : Hypervolume.greedySubset(pts, nGood - taken, referencePoint(pts))) {
        good[front.get(f)] = true;
      }
      taken = nGood;
    }
    return good;
  }

  /**
   * MOTPE's weights of the good points: each one's hypervolume contribution within the group,
   * divided by the largest (one point, or no contribution at all: equal weights). A point that adds
   * nothing keeps a weight of 1e-6 so that its kernel is not dropped outright.
   */
  public static double[] contributionWeights(double[][] goodLosses) {
    int n = goodLosses.length;
    double[] w = new double[n];
    Arrays.fill(w, 1.0);
    if (n <= 1 || goodLosses[0].length == 1) {
      return w;
    }
    double[][] scaled = scaled(goodLosses);
    double[] c = Hypervolume.contributions(scaled, referencePoint(scaled));
    double max = Arrays.stream(c).max().orElse(0);
    if (max <= 0) {
      return w;
    }
    for (int i = 0; i < n; i++) {
      w[i] = Math.max(1e-6, c[i] / max);
    }
    return w;
  }

  /**
   * One objective: the weights of the good points by their improvement over the split, {@code
   * (threshold - loss) / (threshold - best)} with {@code threshold} the smallest loss of the bad
   * group (floored at 1e-6 like {@link #contributionWeights}). Equal weights if nothing separates
   * the groups (no bad point, or the threshold ties the best loss).
   */
  public static double[] improvementWeights(double[] goodLosses, double threshold) {
    int n = goodLosses.length;
    double[] w = new double[n];
    Arrays.fill(w, 1.0);
    double best = Arrays.stream(goodLosses).min().orElse(threshold);
    if (!(threshold > best) || Double.isInfinite(threshold)) {
      return w;
    }
    for (int i = 0; i < n; i++) {
      w[i] = Math.max(1e-6, (threshold - goodLosses[i]) / (threshold - best));
    }
    return w;
  }

  /** Each objective scaled to [0, 1] over the rows (a constant objective becomes 0). */
  static double[][] scaled(double[][] losses) {
    return Pareto.minMaxScaled(losses);
  }

  /** The worst value of each objective plus a tenth of its spread (0.1 if it has none). */
  static double[] referencePoint(double[][] pts) {
    return Hypervolume.nadirReference(pts, 0.1);
  }
}
