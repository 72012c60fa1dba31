package io.sharpsweep.store.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Hyperparameter importance by functional ANOVA of a random forest (Hutter, Hoos and Leyton-Brown,
 * "An Efficient Approach for Assessing Hyperparameter Importance", ICML 2014), as Optuna's {@code
 * FanovaImportanceEvaluator} computes it.
 *
 * <p>A forest of regression trees is fitted to (configuration, objective) pairs, each tree on a
 * bootstrap sample and with every feature tried at each split. Each tree is a piecewise-constant
 * function over the bounded search space: its leaves partition the space into boxes. Under the
 * uniform measure on the space (per feature: the interval, or each choice with equal weight), the
 * tree's variance is {@code Σ w_leaf (v_leaf − μ)²} with {@code w_leaf} the leaf's share of the
 * space. The marginal of feature {@code d} at a point {@code x_d} averages the tree over every
 * other feature; it is constant between the tree's split points on {@code d}, so its variance is a
 * sum over those cells. A feature's importance in one tree is its marginal variance over the tree's
 * variance; the forest's is the mean over trees with a positive variance, and the importances are
 * then scaled to sum to 1. Only main effects are computed: interactions are not reported, which is
 * why the unscaled fractions may sum to less than 1.
 */
public final class FunctionalAnova {
  /** The forest's settings: Optuna's defaults are 64 trees, depth 64, split 2, leaf 1. */
  public record Settings(int trees, int maxDepth, int minSamplesSplit, int minSamplesLeaf) {
    public static final Settings OPTUNA = new Settings(64, 64, 2, 1);
  }

  /**
   * Per feature: the importance (scaled so that all sum to 1, or all 0 when the objective does not
   * vary) and the standard deviation of the unscaled fraction over the trees.
   */
  public record Result(double[] importance, double[] std, double[] fraction) {}

  private FunctionalAnova() {}

  /**
   * @param x one row per trial, one column per feature (indices for categorical features)
   * @param y the objective per trial
   * @param seed the bootstrap's seed: equal inputs and seeds give equal results
   */
  public static Result evaluate(
      List<Feature> features, double[][] x, double[] y, long seed, Settings settings) {
    int n = y.length;
    int d = features.size();
    if (n == 0) {
      throw new IllegalArgumentException("y: at least one trial is needed");
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[][] fractions = new double[d][settings.trees()];
    int[][] orders = new int[d][];
    for (int f = 0; f < d; f++) {
      orders[f] = RegressionTree.byValue(x, f);
    }
    int usable = 0;
    for (int t = 0; t < settings.trees(); t++) {
      int[] sample = new int[n];
      for (int i = 0; i < n; i++) {
        sample[i] = random.nextInt(n);
      }
      RegressionTree tree =
          RegressionTree.fit(
              features,
              x,
              y,
              sample,
              orders,
              settings.maxDepth(),
              settings.minSamplesSplit(),
              settings.minSamplesLeaf());
      double[] variances = marginalVariances(tree);
      double total = variances[d];
      if (total > 0) {
        for (int f = 0; f < d; f++) {
          fractions[f][usable] = variances[f] / total;
        }
        usable++;
      }
    }
    double[] mean = new double[d];
    double[] std = new double[d];
    for (int f = 0; f < d; f++) {
      if (usable == 0) {
        continue;
      }
      double s = 0;
      for (int t = 0; t < usable; t++) {
        s += fractions[f][t];
      }
      mean[f] = s / usable;
      double ss = 0;
      for (int t = 0; t < usable; t++) {
        ss += (fractions[f][t] - mean[f]) * (fractions[f][t] - mean[f]);
      }
      std[f] = Math.sqrt(ss / usable);
    }
    double sum = Arrays.stream(mean).sum();
    double[] importance = new double[d];
    for (int f = 0; f < d; f++) {
      importance[f] = sum > 0 ? mean[f] / sum : 0;
    }
    return new Result(importance, std, mean);
  }

  /** A leaf with its box: per feature an interval or a set of categories. */
  private record Leaf(double[] low, double[] high, long[] categories, double value) {}

  /**
   * The variance of each feature's marginal, then (at index {@code d}) the tree's total variance,
   * both under the uniform measure on the search space.
   */
  static double[] marginalVariances(RegressionTree tree) {
    List<Feature> features = tree.features();
    int d = features.size();
    List<Leaf> leaves = new ArrayList<>();
    double[] low = new double[d];
    double[] high = new double[d];
    long[] cats = new long[d];
    for (int f = 0; f < d; f++) {
      low[f] = features.get(f).low();
      high[f] = features.get(f).high();
      cats[f] = features.get(f).allCategories();
    }
    collect(tree, 0, low, high, cats, leaves);

    // share[leaf][f]: the leaf's share of feature f's range; weight = the product over features
    double[][] share = new double[leaves.size()][d];
    double[] weight = new double[leaves.size()];
    double mu = 0;
    for (int i = 0; i < leaves.size(); i++) {
      Leaf leaf = leaves.get(i);
      double w = 1;
      for (int f = 0; f < d; f++) {
        share[i][f] = share(features.get(f), leaf, f);
        w *= share[i][f];
      }
      weight[i] = w;
      mu += w * leaf.value();
    }
    double[] out = new double[d + 1];
    double total = 0;
    for (int i = 0; i < leaves.size(); i++) {
      total += weight[i] * (leaves.get(i).value() - mu) * (leaves.get(i).value() - mu);
    }
    out[d] = total;
    for (int f = 0; f < d; f++) {
      out[f] = marginalVariance(tree, features.get(f), f, leaves, share, mu);
    }
    return out;
  }

  private static double share(Feature feature, Leaf leaf, int f) {
    if (feature.categorical()) {
      return (double) Long.bitCount(leaf.categories()[f]) / feature.categories();
    }
    double width = feature.high() - feature.low();
    return width > 0 ? (leaf.high()[f] - leaf.low()[f]) / width : 1;
  }

  private static double marginalVariance(
      RegressionTree tree, Feature feature, int f, List<Leaf> leaves, double[][] share, double mu) {
    if (feature.categorical()) {
      double var = 0;
      for (int c = 0; c < feature.categories(); c++) {
        double m = 0;
        for (int i = 0; i < leaves.size(); i++) {
          if ((leaves.get(i).categories()[f] >>> c & 1L) != 0) {
            m += leaves.get(i).value() * otherShare(share[i], f);
          }
        }
        var += (m - mu) * (m - mu) / feature.categories();
      }
      return var;
    }
    double width = feature.high() - feature.low();
    if (width <= 0) {
      return 0;
    }
    TreeSet<Double> cuts = new TreeSet<>();
    cuts.add(feature.low());
    cuts.add(feature.high());
    for (RegressionTree.Node node : tree.nodes()) {
      if (!node.leaf()
          && node.feature() == f
          && node.threshold() > feature.low()
          && node.threshold() < feature.high()) {
        cuts.add(node.threshold());
      }
    }
    double[] grid = cuts.stream().mapToDouble(Double::doubleValue).toArray();
    int cells = grid.length - 1;
    // Each leaf covers a run of cells; a difference array adds its contribution to the run.
    double[] delta = new double[cells + 1];
    for (int i = 0; i < leaves.size(); i++) {
      Leaf leaf = leaves.get(i);
      int from = Arrays.binarySearch(grid, leaf.low()[f]);
      int to = Arrays.binarySearch(grid, leaf.high()[f]);
      double v = leaf.value() * otherShare(share[i], f);
      delta[from] += v;
      delta[to] -= v;
    }
    double var = 0;
    double m = 0;
    for (int j = 0; j < cells; j++) {
      m += delta[j];
      double s = (grid[j + 1] - grid[j]) / width;
      var += s * (m - mu) * (m - mu);
    }
    return var;
  }

  private static double otherShare(double[] shares, int f) {
    double p = 1;
    for (int g = 0; g < shares.length; g++) {
      if (g != f) {
        p *= shares[g];
      }
    }
    return p;
  }

  private static void collect(
      RegressionTree tree, int index, double[] low, double[] high, long[] cats, List<Leaf> out) {
    RegressionTree.Node node = tree.nodes().get(index);
    if (node.leaf()) {
      out.add(new Leaf(low.clone(), high.clone(), cats.clone(), node.value()));
      return;
    }
    int f = node.feature();
    Feature feature = tree.features().get(f);
    if (feature.categorical()) {
      long before = cats[f];
      cats[f] = before & node.leftCategories();
      collect(tree, node.left(), low, high, cats, out);
      cats[f] = before & ~node.leftCategories();
      collect(tree, node.right(), low, high, cats, out);
      cats[f] = before;
      return;
    }
    double t = Math.max(low[f], Math.min(high[f], node.threshold()));
    double before = high[f];
    high[f] = t;
    collect(tree, node.left(), low, high, cats, out);
    high[f] = before;
    before = low[f];
    low[f] = t;
    collect(tree, node.right(), low, high, cats, out);
    low[f] = before;
  }
}
