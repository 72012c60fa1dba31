package io.sharpsweep.sampler.hypervolume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The hypervolume indicator (Zitzler and Thiele, 1998): the Lebesgue measure of the region that a
 * set of points dominates and that dominates a reference point, every objective minimised.
 *
 * <p>Two objectives: exact by one sweep over the points sorted by the first objective, {@code O(n
 * log n)}. More objectives: exact by "hypervolume by slicing objectives" (While, Hingston, Barone
 * and Huband, IEEE TEC 10(1), 2006): the points are sorted by the last objective and each slice
 * between consecutive values contributes its thickness times the {@code (k-1)}-dimensional
 * hypervolume of the points below it, {@code O(n^(k-1) log n)}, fine for the few objectives and
 * hundreds of points a study has.
 *
 * <p>Points that do not strictly dominate the reference point in every objective add nothing. To
 * measure maximised objectives, negate them (and the reference point) first.
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
   * Each point's exclusive contribution: {@code HV(S) - HV(S without it)}. Dominated and duplicated
   * points contribute 0.
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
