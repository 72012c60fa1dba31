package io.sharpsweep.store.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CART regression tree (squared error), grown to purity or {@code maxDepth} as scikit-learn's
 * {@code DecisionTreeRegressor} with {@code min_samples_leaf} and {@code min_samples_split}. A
 * numeric split sends {@code x ≤ threshold} left, the threshold halfway between two neighbouring
 * values; a categorical split sends a set of categories left, found by ordering the node's
 * categories by their mean response (Breiman's ordering, optimal for squared error). Every feature
 * is tried at every node and the first best split wins, so a tree is a deterministic function of
 * its sample.
 */
final class RegressionTree {
  /** One node; a leaf has {@code feature == -1}. */
  record Node(
      int feature, double threshold, long leftCategories, int left, int right, double value) {
    boolean leaf() {
      return feature < 0;
    }
  }

  private static final double MIN_GAIN = 1e-12;

  private final List<Feature> features;
  private final List<Node> nodes = new ArrayList<>();

  private RegressionTree(List<Feature> features) {
    this.features = features;
  }

  List<Node> nodes() {
    return nodes;
  }

  List<Feature> features() {
    return features;
  }

  /**
   * @param rows the sample as row indices into {@code x}/{@code y}; a row may repeat (a bootstrap
   *     sample)
   */
  static RegressionTree fit(
      List<Feature> features,
      double[][] x,
      double[] y,
      int[] rows,
      int maxDepth,
      int minSamplesSplit,
      int minSamplesLeaf) {
    int[][] orders = new int[features.size()][];
    for (int f = 0; f < features.size(); f++) {
      orders[f] = byValue(x, f);
    }
    return fit(features, x, y, rows, orders, maxDepth, minSamplesSplit, minSamplesLeaf);
  }

  /**
   * As above, with {@code orders[f]} = {@link #byValue byValue(x, f)} computed once for every tree
   * of a forest.
   */
  static RegressionTree fit(
      List<Feature> features,
      double[][] x,
      double[] y,
      int[] rows,
      int[][] orders,
      int maxDepth,
      int minSamplesSplit,
      int minSamplesLeaf) {
    int[] count = new int[y.length];
    for (int r : rows) {
      count[r]++;
    }
    int[][] sorted = new int[features.size()][];
    for (int f = 0; f < features.size(); f++) {
      sorted[f] = sample(orders[f], count, rows.length);
    }
    RegressionTree tree = new RegressionTree(features);
    tree.grow(x, y, sorted, 0, maxDepth, minSamplesSplit, minSamplesLeaf);
    return tree;
  }

  /** Every row of {@code x}, ordered by feature {@code f} (then by row). */
  static int[] byValue(double[][] x, int f) {
    Integer[] order = new Integer[x.length];
    for (int i = 0; i < x.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(x[a][f], x[b][f]));
    int[] out = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = order[i];
    }
    return out;
  }

  /** The rows in {@code order}, each repeated as often as the sample holds it. */
  private static int[] sample(int[] order, int[] count, int size) {
    int[] out = new int[size];
    int k = 0;
    for (int r : order) {
      for (int c = 0; c < count[r]; c++) {
        out[k++] = r;
      }
    }
    return out;
  }

  /**
   * Grows the node holding {@code sorted[0].length} rows; {@code sorted[f]} lists them by feature
   * f's value, so that each split is one scan per feature and the children keep the order by a
   * stable partition (no sort per node).
   */
  private int grow(
      double[][] x,
      double[] y,
      int[][] sorted,
      int depth,
      int maxDepth,
      int minSamplesSplit,
      int minSamplesLeaf) {
    int[] rows = sorted[0];
    double sum = 0;
    for (int r : rows) {
      sum += y[r];
    }
    double mean = sum / rows.length;
    int self = nodes.size();
    nodes.add(new Node(-1, 0, 0, -1, -1, mean));
    if (depth >= maxDepth || rows.length < minSamplesSplit || rows.length < 2 * minSamplesLeaf) {
      return self;
    }
    double sse = 0;
    for (int r : rows) {
      sse += (y[r] - mean) * (y[r] - mean);
    }
    if (sse <= MIN_GAIN) {
      return self;
    }
    Split best = null;
    for (int f = 0; f < features.size(); f++) {
      Split s =
          features.get(f).categorical()
              ? categoricalSplit(f, x, y, rows, sum, minSamplesLeaf)
              : numericSplit(f, x, y, sorted[f], sum, minSamplesLeaf);
      if (s != null && (best == null || s.gain() > best.gain() + MIN_GAIN)) {
        best = s;
      }
    }
    if (best == null || best.gain() <= MIN_GAIN) {
      return self;
    }
    int nLeft = 0;
    for (int r : rows) {
      if (goesLeft(best.feature(), best.threshold(), best.leftCategories(), x[r][best.feature()])) {
        nLeft++;
      }
    }
    int[][] left = new int[features.size()][nLeft];
    int[][] right = new int[features.size()][rows.length - nLeft];
    for (int f = 0; f < features.size(); f++) {
      int l = 0;
      int rt = 0;
      for (int r : sorted[f]) {
        if (goesLeft(
            best.feature(), best.threshold(), best.leftCategories(), x[r][best.feature()])) {
          left[f][l++] = r;
        } else {
          right[f][rt++] = r;
        }
      }
    }
    sorted = null; // the children's copies replace it; let it go before recursing
    int l = grow(x, y, left, depth + 1, maxDepth, minSamplesSplit, minSamplesLeaf);
    int rt = grow(x, y, right, depth + 1, maxDepth, minSamplesSplit, minSamplesLeaf);
    nodes.set(self, new Node(best.feature(), best.threshold(), best.leftCategories(), l, rt, mean));
    return self;
  }

  private boolean goesLeft(int feature, double threshold, long leftCategories, double value) {
    if (features.get(feature).categorical()) {
      return (leftCategories >>> (int) value & 1L) != 0;
    }
    return value <= threshold;
  }

  /** The tree's prediction at {@code point}. */
  double predict(double[] point) {
    Node n = nodes.get(0);
    while (!n.leaf()) {
      n =
          nodes.get(
              goesLeft(n.feature(), n.threshold(), n.leftCategories(), point[n.feature()])
                  ? n.left()
                  : n.right());
    }
    return n.value();
  }

  private record Split(int feature, double threshold, long leftCategories, double gain) {}

  /** Gain = reduction of the sum of squared errors = sL²/nL + sR²/nR − s²/n. */
  private static double gain(double sumLeft, int nLeft, double sum, int n) {
    double sumRight = sum - sumLeft;
    int nRight = n - nLeft;
    return sumLeft * sumLeft / nLeft + sumRight * sumRight / nRight - sum * sum / n;
  }

  /** {@code order}: the node's rows by the feature's value. */
  private static Split numericSplit(
      int f, double[][] x, double[] y, int[] order, double sum, int minLeaf) {
    Split best = null;
    double sumLeft = 0;
    for (int i = 0; i < order.length - 1; i++) {
      sumLeft += y[order[i]];
      double here = x[order[i]][f];
      double next = x[order[i + 1]][f];
      int nLeft = i + 1;
      if (here == next || nLeft < minLeaf || order.length - nLeft < minLeaf) {
        continue;
      }
      double g = gain(sumLeft, nLeft, sum, order.length);
      if (best == null || g > best.gain() + MIN_GAIN) {
        double threshold = here + (next - here) / 2;
        best = new Split(f, threshold == next ? here : threshold, 0, g);
      }
    }
    return best;
  }

  private static Split categoricalSplit(
      int f, double[][] x, double[] y, int[] rows, double sum, int minLeaf) {
    int k = 64;
    double[] sums = new double[k];
    int[] counts = new int[k];
    for (int r : rows) {
      int c = (int) x[r][f];
      sums[c] += y[r];
      counts[c]++;
    }
    List<Integer> present = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      if (counts[c] > 0) {
        present.add(c);
      }
    }
    if (present.size() < 2) {
      return null;
    }
    present.sort(
        (a, b) -> {
          int byMean = Double.compare(sums[a] / counts[a], sums[b] / counts[b]);
          return byMean != 0 ? byMean : Integer.compare(a, b);
        });
    Split best = null;
    double sumLeft = 0;
    int nLeft = 0;
    long mask = 0;
    for (int i = 0; i < present.size() - 1; i++) {
      int c = present.get(i);
      sumLeft += sums[c];
      nLeft += counts[c];
      mask |= 1L << c;
      if (nLeft < minLeaf || rows.length - nLeft < minLeaf) {
        continue;
      }
      double g = gain(sumLeft, nLeft, sum, rows.length);
      if (best == null || g > best.gain() + MIN_GAIN) {
        best = new Split(f, 0, mask, g);
      }
    }
    return best;
  }
}
