package io.sharpsweep.protocol.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The hypervolume indicator (Zitzler and Thiele, 1998): the Lebesgue measure of the region that a
 * set of points dominates and that dominates a reference point, every objective minimised (points
 * in the minimisation form of {@link Pareto}; {@link Pareto#minimised} negates maximised objectives
 * and their reference values).
 *
 * <p>{@link #of} is exact for any number {@code k} of objectives. Two objectives: one sweep over
 * the points sorted by the first objective, {@code O(n log n)}. More: "hypervolume by slicing
 * objectives" (HSO; While, Hingston, Barone and Huband, IEEE TEC 10(1), 2006): the points are
 * sorted by the last objective and each slice between consecutive values contributes its thickness
 * times the {@code (k-1)}-dimensional hypervolume of the points below it, {@code O(n^(k-1) log n)}
 * time and {@code O(n k)} memory, fine for the few objectives and hundreds of points a study has.
 * {@link #contributions} and {@link #greedySubset} call it {@code n + 1} and {@code size · n}
 * times.
 *
 * <p>A point that does not strictly dominate the reference point in every objective adds nothing:
 * one on or beyond it, one with a {@code +∞} value, one with a NaN value. A {@code -∞} value inside
 * the reference makes the volume infinite.
 */
public final class Hypervolume {

  private Hypervolume() {}

  /** The hypervolume of {@code points} ({@code [point][objective]}) with respect to {@code ref}. */
  public static double of(double[][] points, double[] ref) {
    int k = ref.length;
    List<double[]> inside = new ArrayList<>(points.length);
    for (double[] p : points) {
      if (p.length != k) {
        throw new IllegalArgumentException(
            "a point has " + p.length + " objectives, the reference point " + k);
      }
      if (strictlyBelow(p, ref)) {
        inside.add(p);
      }
    }
    if (inside.isEmpty()) {
      return 0;
    }
    if (k == 1) {
      double best = Double.POSITIVE_INFINITY;
      for (double[] p : inside) {
        best = Math.min(best, p[0]);
      }
      return ref[0] - best;
    }
    return slice(inside.toArray(new double[0][]), ref, k);
  }

  /**
   * Each point's exclusive contribution: {@code HV(S) - HV(S without it)}, for any set and any
   * number of objectives, {@code n + 1} volumes. Duplicated points contribute 0, and so do
   * dominated ones; a dominated point also takes its own box out of the contribution of a point
   * that dominates it.
   */
  public static double[] contributions(double[][] points, double[] ref) {
    double total = of(points, ref);
    double[] out = new double[points.length];
    double[][] rest = new double[Math.max(0, points.length - 1)][];
    for (int i = 0; i < points.length; i++) {
      for (int j = 0, r = 0; j < points.length; j++) {
        if (j != i) {
          rest[r++] = points[j];
        }
      }
      out[i] = Math.max(0, total - of(rest, ref));
    }
    return out;
  }

  /**
   * The exclusive contribution of each point of one front of two objectives ({@code front}: indices
   * into {@code points} of mutually non-dominated points, in any order), aligned with {@code
   * front}. With the front sorted by {@code (f1, f2)}, point {@code i}'s is the box {@code
   * (f1_{i+1} − f1_i) · (f2_{i−1} − f2_i)}, the reference point closing both ends (a negative side
   * counts as 0, so a point beyond the reference and duplicates contribute 0). The box is computed
   * directly rather than as a difference of volumes, so equal boxes give equal numbers and a
   * tie-break after them (MO-ASHA's {@code ParetoRanking}) sees the tie.
   */
  public static double[] frontContributions(double[][] points, int[] front, double[] ref) {
    Integer[] sorted = new Integer[front.length];
    Arrays.setAll(sorted, i -> i);
    Arrays.sort(
        sorted,
        Comparator.<Integer>comparingDouble(i -> points[front[i]][0])
            .thenComparingDouble(i -> points[front[i]][1])
            .thenComparingInt(i -> front[i]));
    double[] out = new double[front.length];
    for (int s = 0; s < sorted.length; s++) {
      double[] p = points[front[sorted[s]]];
      double right = (s + 1 < sorted.length ? points[front[sorted[s + 1]]][0] : ref[0]) - p[0];
      double up = (s > 0 ? points[front[sorted[s - 1]]][1] : ref[1]) - p[1];
      out[sorted[s]] = Math.max(0, right) * Math.max(0, up);
    }
    return out;
  }

  /**
   * A reference point for points without a natural one: per objective, the worst value plus a tenth
   * of the range, or plus {@code flatMargin} when every point has the same value, so that the
   * extreme points of a front keep a positive contribution. {@code points} must not be empty.
   */
  public static double[] nadirReference(double[][] points, double flatMargin) {
    int k = points[0].length;
    double[] ref = new double[k];
    for (int j = 0; j < k; j++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double[] p : points) {
        lo = Math.min(lo, p[j]);
        hi = Math.max(hi, p[j]);
      }
      ref[j] = hi + (hi > lo ? 0.1 * (hi - lo) : flatMargin);
    }
    return ref;
  }

  /**
   * Indices of {@code size} of {@code points} chosen greedily to maximise the hypervolume of the
   * chosen set (the greedy solution of the hypervolume subset selection problem, within a factor
   * {@code 1 - 1/e} of the optimum since the hypervolume is submodular): each step adds the point
   * with the largest gain; ties go to the lower index.
   */
  public static int[] greedySubset(double[][] points, int size, double[] ref) {
    int n = points.length;
    if (size >= n) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    boolean[] taken = new boolean[n];
    List<double[]> chosen = new ArrayList<>();
    int[] out = new int[size];
    double current = 0;
    for (int s = 0; s < size; s++) {
      int best = -1;
      double bestGain = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (taken[i]) {
          continue;
        }
        chosen.add(points[i]);
        double gain = of(chosen.toArray(new double[0][]), ref) - current;
        chosen.remove(chosen.size() - 1);
        if (gain > bestGain) {
          bestGain = gain;
          best = i;
        }
      }
      taken[best] = true;
      chosen.add(points[best]);
      current += bestGain;
      out[s] = best;
    }
    return out;
  }

  private static boolean strictlyBelow(double[] p, double[] ref) {
    for (int j = 0; j < ref.length; j++) {
      if (!(p[j] < ref[j])) {
        return false;
      }
    }
    return true;
  }

  /** Points all strictly below {@code ref} in their first {@code k} objectives. */
  private static double slice(double[][] pts, double[] ref, int k) {
    if (k == 2) {
      return twoDimensional(pts, ref);
    }
    double[][] sorted = pts.clone();
    Arrays.sort(sorted, Comparator.comparingDouble(p -> p[k - 1]));
    double volume = 0;
    for (int i = 0; i < sorted.length; i++) {
      double top = i + 1 < sorted.length ? sorted[i + 1][k - 1] : ref[k - 1];
      double thickness = top - sorted[i][k - 1];
      if (thickness > 0) {
        volume += thickness * slice(Arrays.copyOf(sorted, i + 1), ref, k - 1);
      }
    }
    return volume;
  }

  private static double twoDimensional(double[][] pts, double[] ref) {
    double[][] sorted = pts.clone();
    Arrays.sort(
        sorted, Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
    double area = 0;
    double ceiling = ref[1];
    for (double[] p : sorted) {
      if (p[1] < ceiling) {
        area += (ref[0] - p[0]) * (ceiling - p[1]);
        ceiling = p[1];
      }
    }
    return area;
  }
}
