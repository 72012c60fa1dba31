package io.sharpsweep.protocol.pareto;

import io.sharpsweep.protocol.study.Goal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Pareto dominance and non-dominated sorting for any number {@code k} of objectives: the one place
 * the sampler (ParEGO, MOTPE), the schedulers (MO-ASHA's {@code ParetoRanking}) and the results
 * store ({@code /pareto}) take them from; {@link Hypervolume} measures the fronts.
 *
 * <p>A point is a {@code double[k]}; every method answers with indices into the array of points, so
 * callers keep their own records. Points are in <b>minimisation form</b> (smaller is better in
 * every objective); {@link #minimised} brings values in metric units there from each objective's
 * {@link Goal} (a maximised objective is negated) and, being its own inverse, back again. {@link
 * #dominates(double[], double[], List)} compares values in metric units directly.
 *
 * <p>Values are ordered as doubles are, {@code ±∞} included; NaN has no order, and every method
 * here that compares points rejects it with an {@link IllegalArgumentException} (callers leave
 * failed trials and missing metrics out first).
 */
public final class Pareto {

  private Pareto() {}

  /**
   * Whether {@code a} dominates {@code b} (minimisation form): no worse in every objective and
   * strictly better in one. Equal points do not dominate each other.
   */
  public static boolean dominates(double[] a, double[] b) {
    boolean better = false;
    for (int j = 0; j < a.length; j++) {
      requireOrdered(a[j], b[j]);
      if (a[j] > b[j]) {
        return false;
      }
      better |= a[j] < b[j];
    }
    return better;
  }

  /** {@link #dominates(double[], double[])} for values in metric units with these goals. */
  public static boolean dominates(double[] a, double[] b, List<Goal> goals) {
    return dominates(minimised(a, goals), minimised(b, goals));
  }

  /**
   * The point in minimisation form: objective {@code j} negated when {@code goals.get(j)} is {@link
   * Goal#MAXIMIZE}. Applied twice it gives the values back, so it also turns a reference point in
   * minimisation form back into metric units.
   */
  public static double[] minimised(double[] values, List<Goal> goals) {
    if (values.length != goals.size()) {
      throw new IllegalArgumentException(
          "a point has " + values.length + " objectives, the goals " + goals.size());
    }
    double[] out = new double[values.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = goals.get(j) == Goal.MAXIMIZE ? -values[j] : values[j];
    }
    return out;
  }

  /** {@link #minimised(double[], List)} of every point. */
  public static double[][] minimised(double[][] points, List<Goal> goals) {
    double[][] out = new double[points.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = minimised(points[i], goals);
    }
    return out;
  }

  /**
   * The non-domination rank of each point: 0 for the points no other point dominates (the first
   * front), 1 for those only rank-0 points dominate, and so on; equal points share a rank. The
   * "fast non-dominated sort" of Deb, Pratap, Agarwal and Meyarivan ("A fast and elitist
   * multiobjective genetic algorithm: NSGA-II", IEEE TEC 6(2), 2002): {@code O(k n^2)} time, {@code
   * O(n^2)} memory.
   */
  public static int[] ranks(double[][] points) {
    int n = points.length;
    int[] dominatedBy = new int[n];
    List<List<Integer>> dominated = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      dominated.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (dominates(points[i], points[j])) {
          dominated.get(i).add(j);
          dominatedBy[j]++;
        } else if (dominates(points[j], points[i])) {
          dominated.get(j).add(i);
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
    for (int r = 0; !front.isEmpty(); r++) {
      List<Integer> next = new ArrayList<>();
      for (int i : front) {
        rank[i] = r;
        for (int j : dominated.get(i)) {
          if (--dominatedBy[j] == 0) {
            next.add(j);
          }
        }
      }
      front = next;
    }
    return rank;
  }

  /**
   * Non-dominated sorting as a list of fronts: element {@code r} holds the indices of the points of
   * rank {@code r} ({@link #ranks}), each front in input order.
   */
  public static List<int[]> fronts(double[][] points) {
    int[] rank = ranks(points);
    int count = Arrays.stream(rank).max().orElse(-1) + 1;
    List<int[]> out = new ArrayList<>(count);
    for (int r = 0; r < count; r++) {
      final int wanted = r;
      out.add(IntStream.range(0, rank.length).filter(i -> rank[i] == wanted).toArray());
    }
    return out;
  }

  /**
   * Indices of the non-dominated points (rank 0; duplicates of a front point are all kept), in
   * input order. Two objectives: one sweep in {@code (f1, f2)} order, {@code O(n log n)}, so a
   * study of any size can ask for its front; more: {@code O(k n^2)} pairwise.
   */
  public static int[] firstFront(double[][] points) {
    return points.length > 0 && points[0].length == 2 ? sweep2D(points) : pairwise(points);
  }

  /**
   * Each objective scaled to {@code [0, 1]} by its minimum and maximum over the points (0 where
   * they are equal), so that methods which mix objectives do not depend on their units.
   */
  public static double[][] minMaxScaled(double[][] points) {
    int k = points[0].length;
    double[] lo = new double[k];
    double[] hi = new double[k];
    Arrays.fill(lo, Double.POSITIVE_INFINITY);
    Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (double[] p : points) {
      for (int j = 0; j < k; j++) {
        lo[j] = Math.min(lo[j], p[j]);
        hi[j] = Math.max(hi[j], p[j]);
      }
    }
    double[][] out = new double[points.length][k];
    for (int i = 0; i < points.length; i++) {
      for (int j = 0; j < k; j++) {
        out[i][j] = hi[j] > lo[j] ? (points[i][j] - lo[j]) / (hi[j] - lo[j]) : 0;
      }
    }
    return out;
  }

  /**
   * A point is dominated exactly when an earlier point in {@code (f1, f2)} order with a smaller
   * {@code f1} has an {@code f2} no larger, or a point of the same {@code f1} has a smaller {@code
   * f2}. (Adding 0.0 makes -0.0 sort as the 0.0 it equals.)
   */
  private static int[] sweep2D(double[][] points) {
    for (double[] p : points) {
      requireOrdered(p[0], p[1]);
    }
    Integer[] order = new Integer[points.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(
        order,
        Comparator.<Integer>comparingDouble(i -> points[i][0] + 0.0)
            .thenComparingDouble(i -> points[i][1] + 0.0));
    List<Integer> out = new ArrayList<>();
    double bestF2 = Double.POSITIVE_INFINITY; // the lowest f2 among points of smaller f1
    int i = 0;
    while (i < order.length) {
      double f1 = points[order[i]][0];
      double groupF2 = points[order[i]][1]; // the lowest f2 of this f1
      int j = i;
      for (; j < order.length && points[order[j]][0] == f1; j++) {
        if ((i == 0 || groupF2 < bestF2) && points[order[j]][1] == groupF2) {
          out.add(order[j]);
        }
      }
      bestF2 = Math.min(bestF2, groupF2);
      i = j;
    }
    return out.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  private static int[] pairwise(double[][] points) {
    return IntStream.range(0, points.length)
        .filter(i -> Arrays.stream(points).noneMatch(q -> dominates(q, points[i])))
        .toArray();
  }

  private static void requireOrdered(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      throw new IllegalArgumentException("an objective value is NaN, which has no order");
    }
  }
}
