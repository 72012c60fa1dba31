package io.sharpsweep.sampler.moo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pareto dominance and non-dominated sorting for any number of objectives, every objective
 * minimised: the "fast non-dominated sort" of Deb, Pratap, Agarwal and Meyarivan, "A fast and
 * elitist multiobjective genetic algorithm: NSGA-II", IEEE TEC 6(2), 2002, {@code O(k n^2)}.
 */
public final class ParetoFront {

  private ParetoFront() {}

  /** {@code a} dominates {@code b}: no worse in every objective and better in one. */
  public static boolean dominates(double[] a, double[] b) {
    boolean better = false;
    for (int j = 0; j < a.length; j++) {
      if (a[j] > b[j]) {
        return false;
      }
      better |= a[j] < b[j];
    }
    return better;
  }

  /**
   * The non-domination rank of each point: 0 for the points no other point dominates (the Pareto
   * front), 1 for those only rank-0 points dominate, and so on. Equal points share a rank.
   */
  public static int[] ranks(double[][] points) {
    int n = points.length;
    int[] dominatedBy = new int[n];
    List<List<Integer>> dominates = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      dominates.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (dominates(points[i], points[j])) {
          dominates.get(i).add(j);
          dominatedBy[j]++;
        } else if (dominates(points[j], points[i])) {
          dominates.get(j).add(i);
          dominatedBy[i]++;
        }
      }
    }
    int[] rank = new int[n];
    List<Integer> front = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (dominatedBy[i] == 0) {
        front.add(i);
      }
    }
    int r = 0;
    while (!front.isEmpty()) {
      List<Integer> next = new ArrayList<>();
      for (int i : front) {
        rank[i] = r;
        for (int j : dominates.get(i)) {
          if (--dominatedBy[j] == 0) {
            next.add(j);
          }
        }
      }
      front = next;
      r++;
    }
    return rank;
  }

  /** Indices of the non-dominated points (rank 0), in input order. */
  public static int[] front(double[][] points) {
    int[] rank = ranks(points);
    return java.util.stream.IntStream.range(0, points.length).filter(i -> rank[i] == 0).toArray();
  }

  /**
   * Each objective scaled to [0, 1] by its minimum and maximum over the points (0 where they are
   * equal).
   */
  public static double[][] minMaxScaled(double[][] losses) {
    int k = losses[0].length;
    double[] lo = new double[k];
    double[] hi = new double[k];
    Arrays.fill(lo, Double.POSITIVE_INFINITY);
    Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (double[] l : losses) {
      for (int j = 0; j < k; j++) {
        lo[j] = Math.min(lo[j], l[j]);
        hi[j] = Math.max(hi[j], l[j]);
      }
    }
    double[][] out = new double[losses.length][k];
    for (int i = 0; i < losses.length; i++) {
      for (int j = 0; j < k; j++) {
        out[i][j] = hi[j] > lo[j] ? (losses[i][j] - lo[j]) / (hi[j] - lo[j]) : 0;
      }
    }
    return out;
  }
}
