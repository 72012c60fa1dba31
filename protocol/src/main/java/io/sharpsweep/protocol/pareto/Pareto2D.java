package io.sharpsweep.protocol.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto dominance, non-dominated sorting and 2-D hypervolume over points in <b>minimisation
 * form</b> (a maximised objective is negated by the caller). Point {@code i} is {@code points[i] =
 * {f1, f2}}; every method answers with indices into {@code points}, so callers keep their own
 * records. Points must be finite.
 *
 * <p>The 2-D hypervolume of a front against a reference point {@code r} is the area of the union of
 * the boxes {@code [p1, r1] × [p2, r2]}; with the front sorted by {@code f1} ascending it is the
 * sum of {@code (r1 − p1_i) · (p2_{i−1} − p2_i)} (with {@code p2_{-1} = r2}). A point's
 * contribution is the area only it dominates: {@code (p1_{i+1} − p1_i) · (p2_{i−1} − p2_i)} with
 * {@code r} closing both ends. Points that do not strictly dominate {@code r} add nothing.
 */
public final class Pareto2D {
  private Pareto2D() {}

  /** Whether {@code a} Pareto-dominates {@code b}: no worse in both, strictly better in one. */
  public static boolean dominates(double[] a, double[] b) {
    return a[0] <= b[0] && a[1] <= b[1] && (a[0] < b[0] || a[1] < b[1]);
  }

  /**
   * Indices of the non-dominated points, by {@code f1} ascending (duplicates of a front point are
   * all kept).
   */
  public static List<Integer> front(double[][] points) {
    // One sweep in (f1, f2) order: a point is dominated exactly when an earlier point of smaller f1
    // has an f2 no larger, or a point of the same f1 has a smaller f2. O(n log n).
    Integer[] order = new Integer[points.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, byF1ThenF2(points));
    List<Integer> out = new ArrayList<>();
    double bestF2 = Double.POSITIVE_INFINITY; // the lowest f2 among points of smaller f1
    int i = 0;
    while (i < order.length) {
      double f1 = points[order[i]][0];
      double groupF2 = points[order[i]][1]; // the lowest f2 of this f1
      int j = i;
      while (j < order.length && points[order[j]][0] == f1) {
        if (groupF2 < bestF2 && points[order[j]][1] == groupF2) {
          out.add(order[j]);
        }
        j++;
      }
      bestF2 = Math.min(bestF2, groupF2);
      i = j;
    }
    return out;
  }

  /**
   * Non-dominated sorting (Deb et al. 2002): the first front, then the front of what is left, and
   * so on. Each front by {@code f1} ascending.
   */
  public static List<List<Integer>> fronts(double[][] points) {
    int n = points.length;
    int[] dominatedBy = new int[n];
    List<List<Integer>> dominating = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      dominating.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j && dominates(points[i], points[j])) {
          dominating.get(i).add(j);
          dominatedBy[j]++;
        }
      }
    }
    List<List<Integer>> fronts = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (dominatedBy[i] == 0) {
        current.add(i);
      }
    }
    while (!current.isEmpty()) {
      current.sort(byF1ThenF2(points));
      fronts.add(current);
      List<Integer> next = new ArrayList<>();
      for (int i : current) {
        for (int j : dominating.get(i)) {
          if (--dominatedBy[j] == 0) {
            next.add(j);
          }
        }
      }
      current = next;
    }
    return fronts;
  }

  /**
   * The hypervolume dominated by {@code points} (any set; dominated points add nothing) up to
   * {@code reference}.
   */
  public static double hypervolume(double[][] points, double[] reference) {
    double volume = 0;
    double ceiling = reference[1];
    for (int i : front(points)) {
      double[] p = points[i];
      if (p[0] >= reference[0] || p[1] >= ceiling) {
        continue;
      }
      volume += (reference[0] - p[0]) * (ceiling - p[1]);
      ceiling = p[1];
    }
    return volume;
  }

  /**
   * The exclusive contribution of each point of one front (given as indices sorted by {@code f1}
   * ascending, as {@link #front} and {@link #fronts} return them), in the same order.
   */
  public static double[] contributions(double[][] points, List<Integer> front, double[] reference) {
    double[] out = new double[front.size()];
    for (int k = 0; k < front.size(); k++) {
      double[] p = points[front.get(k)];
      double right = (k + 1 < front.size() ? points[front.get(k + 1)][0] : reference[0]) - p[0];
      double up = (k > 0 ? points[front.get(k - 1)][1] : reference[1]) - p[1];
      out[k] = Math.max(0, right) * Math.max(0, up);
    }
    return out;
  }

  /**
   * A reference point for points without a natural one: per objective, the worst value plus a tenth
   * of the range (plus 1 when all values are equal), so that the extreme points of a front keep a
   * positive contribution.
   */
  public static double[] nadirReference(double[][] points) {
    double[] ref = new double[2];
    for (int j = 0; j < 2; j++) {
      final int axis = j;
      double max = Arrays.stream(points).mapToDouble(p -> p[axis]).max().orElse(0);
      double min = Arrays.stream(points).mapToDouble(p -> p[axis]).min().orElse(0);
      ref[j] = max > min ? max + 0.1 * (max - min) : max + 1.0;
    }
    return ref;
  }

  private static Comparator<Integer> byF1ThenF2(double[][] points) {
    return Comparator.<Integer>comparingDouble(i -> points[i][0])
        .thenComparingDouble(i -> points[i][1])
        .thenComparingInt(i -> i);
  }
}
