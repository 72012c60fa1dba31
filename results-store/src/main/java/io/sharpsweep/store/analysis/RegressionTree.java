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
    RegressionTree tree = new RegressionTree(features);
    tree.grow(x, y, rows, 0, maxDepth, minSamplesSplit, minSamplesLeaf);
    return tree;
  }

  private int grow(
      double[][] x,
      double[] y,
      int[] rows,
      int depth,
      int maxDepth,
      int minSamplesSplit,
      int minSamplesLeaf) {
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
              : numericSplit(f, x, y, rows, sum, minSamplesLeaf);
      if (s != null && (best == null || s.gain() > best.gain() + MIN_GAIN)) {
        best = s;
      }
    }
    if (best == null || best.gain() <= MIN_GAIN) {
      return self;
    }
    List<Integer> left = new ArrayList<>();
    List<Integer> right = new ArrayList<>();
    for (int r : rows) {
      (goesLeft(best.feature(), best.threshold(), best.leftCategories(), x[r][best.feature()])
              ? left
              : right)
          .add(r);
    }
    int l =
        grow(
            x,
            y,
            left.stream().mapToInt(Integer::intValue).toArray(),
            depth + 1,
            maxDepth,
            minSamplesSplit,
            minSamplesLeaf);
    int rt =
        grow(
            x,
            y,
            right.stream().mapToInt(Integer::intValue).toArray(),
            depth + 1,
            maxDepth,
            minSamplesSplit,
            minSamplesLeaf);
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

  private static Split numericSplit(
      int f, double[][] x, double[] y, int[] rows, double sum, int minLeaf) {
    Integer[] order = new Integer[rows.length];
    for (int i = 0; i < rows.length; i++) {
      order[i] = rows[i];
    }
    Arrays.sort(order, (a, b) -> Double.compare(x[a][f], x[b][f]));
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
