package io.sharpsweep.sampler.tpe;

import io.sharpsweep.sampler.StandardNormal;
import java.util.Arrays;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * A Parzen (kernel density) estimator over a group of unit-cube dimensions, the {@code l(x)} and
 * {@code g(x)} of the tree-structured Parzen estimator (Bergstra, Bardenet, Bengio and Kégl,
 * "Algorithms for hyper-parameter optimization", NeurIPS 2011, §4), with the bandwidth rules of
 * Optuna's {@code TPESampler}:
 *
 * <ul>
 *   <li>one component per observation plus a prior component (mean 0.5, bandwidth 1, weight {@code
 *       priorWeight}); mixture weights are the observation weights and the prior weight,
 *       normalised;
 *   <li>floats and ints: a normal kernel truncated to {@code [0, 1]}; an int's probability is the
 *       kernel's mass over the value's cell (its range {@code [low - 1/2, high + 1/2]} in the
 *       encoding);
 *   <li>univariate bandwidth: the larger gap to the neighbouring mean, the sorted means including
 *       the prior's and the ends 0 and 1 (Bergstra et al.'s rule); without {@code
 *       considerEndpoints} the outermost means use their inner gap only;
 *   <li>multivariate bandwidth (joint product kernels, as BOHB's TPE: Falkner, Klein and Hutter,
 *       ICML 2018, §4.2): Scott's normal-reference rule {@code 1.06 sd n^(-1/(d+4))} per axis, with
 *       {@code sd} the spread of the estimator's own points (Scott, "Multivariate density
 *       estimation", 1992, eq. 6.43), so the kernels narrow as the good points gather; with {@code
 *       dataBandwidth} off (or a single point) Optuna's fixed {@code 0.2 n^(-1/(d+4))};
 *   <li>the "magic clip": bandwidths are at least {@code 1 / min(100, clipScale (n + 2))} and at
 *       most 1 ({@code clipScale} 1 is Optuna's floor; larger lets the kernels of a small group
 *       narrow sooner);
 *   <li>categoricals: component {@code i} puts mass {@code 1 + priorWeight/(n+1)} on its own choice
 *       and {@code priorWeight/(n+1)} on every choice, normalised; the prior component is uniform.
 * </ul>
 *
 * A point of the group is a vector with one coordinate per axis; ints and categoricals are given
 * (and sampled) at their snapped coordinates.
 */
public final class ParzenEstimator {
  private static final double FIXED_FACTOR = 0.2;
  private static final double NORMAL_REFERENCE = 1.06;
  // Below this cell width (in bandwidths) the mass over a cell is density x width, to 1e-7.
  private static final double NARROW_CELL = 1e-3;

  /** The estimator's fixed settings. */
  public record Settings(
      double priorWeight,
      boolean considerMagicClip,
      double clipScale,
      boolean considerEndpoints,
      boolean multivariate,
      boolean dataBandwidth) {
    /** Optuna's {@code TPESampler} defaults. */
    public static Settings optunaDefaults(boolean multivariate) {
      return new Settings(1.0, true, 1.0, false, multivariate, false);
    }
  }

  private final Axis[] axes;
  private final int components;
  private final double[] weights;
  private final double[] logWeights;
  private final double[][] mu; // [axis][component], numeric axes
  private final double[][] sigma;
  private final double[][] logMass; // ln of the kernel's mass on [0, 1]
  private final double[][][] logProb; // [axis][component][choice], categorical axes

  private ParzenEstimator(
      Axis[] axes,
      double[] weights,
      double[][] mu,
      double[][] sigma,
      double[][] logMass,
      double[][][] logProb) {
    this.axes = axes;
    this.components = weights.length;
    this.weights = weights;
    this.logWeights = new double[components];
    for (int c = 0; c < components; c++) {
      logWeights[c] = Math.log(weights[c]);
    }
    this.mu = mu;
    this.sigma = sigma;
    this.logMass = logMass;
    this.logProb = logProb;
  }

  /**
   * The estimator of {@code points} ({@code [observation][axis]}, snapped coordinates) with
   * observation weights {@code weights} (non-negative, not all zero unless there are no points).
   */
  public static ParzenEstimator fit(
      double[][] points, double[] weights, Axis[] axes, Settings settings) {
    int n = points.length;
    int comps = n + 1;
    double[] w = new double[comps];
    double total = 0;
    for (int i = 0; i < n; i++) {
      w[i] = weights[i];
      total += weights[i];
    }
    // With no observation the prior alone is the estimate, whatever its weight.
    w[n] = n == 0 ? 1 : settings.priorWeight();
    total += w[n];
    for (int c = 0; c < comps; c++) {
      w[c] /= total;
    }
    double[][] mu = new double[axes.length][];
    double[][] sigma = new double[axes.length][];
    double[][] logMass = new double[axes.length][];
    double[][][] logProb = new double[axes.length][][];
    for (int a = 0; a < axes.length; a++) {
      if (axes[a] instanceof Axis.Choices choices) {
        logProb[a] = categoricalKernels(points, a, choices.k(), settings.priorWeight());
        continue;
      }
      double[] m = new double[comps];
      for (int i = 0; i < n; i++) {
        m[i] = points[i][a];
      }
      m[n] = 0.5;
      double[] s =
          settings.multivariate()
              ? (settings.dataBandwidth() && n > 1
                  ? normalReferenceBandwidths(m, n, axes.length)
                  : fixedBandwidths(n, axes.length))
              : neighbourBandwidths(m, settings.considerEndpoints());
      double minSigma =
          settings.considerMagicClip()
              ? 1.0 / Math.min(100.0, (n + 2) * settings.clipScale())
              : 1e-12;
      for (int c = 0; c < n; c++) {
        s[c] = Math.max(minSigma, Math.min(1.0, s[c]));
      }
      s[n] = 1.0; // the prior's bandwidth: the whole range
      double[] lm = new double[comps];
      for (int c = 0; c < comps; c++) {
        lm[c] = Math.log(StandardNormal.mass(-m[c] / s[c], (1 - m[c]) / s[c]));
      }
      mu[a] = m;
      sigma[a] = s;
      logMass[a] = lm;
    }
    return new ParzenEstimator(axes, w, mu, sigma, logMass, logProb);
  }

  /**
   * Bergstra et al.'s rule: each mean's bandwidth is the larger distance to its neighbours in the
   * sorted means (the prior's mean included), the ends 0 and 1 acting as neighbours of the
   * outermost ones; without {@code considerEndpoints} the outermost use their inner neighbour only.
   */
  static double[] neighbourBandwidths(double[] means, boolean considerEndpoints) {
    int k = means.length;
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(means[x], means[y]));
    double[] sorted = new double[k + 2];
    sorted[0] = 0;
    for (int i = 0; i < k; i++) {
      sorted[i + 1] = means[order[i]];
    }
    sorted[k + 1] = 1;
    double[] bySorted = new double[k];
    for (int i = 0; i < k; i++) {
      bySorted[i] = Math.max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
    }
    if (!considerEndpoints && k >= 2) {
      bySorted[0] = sorted[2] - sorted[1];
      bySorted[k - 1] = sorted[k] - sorted[k - 1];
    }
    double[] out = new double[k];
    for (int i = 0; i < k; i++) {
      out[order[i]] = bySorted[i];
    }
    return out;
  }

  /** Optuna's multivariate rule for {@code n} points in {@code d} dimensions (plus the prior). */
  static double[] fixedBandwidths(int n, int d) {
    double s = FIXED_FACTOR * Math.pow(Math.max(n, 1), -1.0 / (d + 4));
    double[] out = new double[n + 1];
    Arrays.fill(out, s);
    return out;
  }

  /** Scott's normal-reference rule on the sample spread of the first {@code n} of {@code means}. */
  static double[] normalReferenceBandwidths(double[] means, int n, int d) {
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += means[i];
    }
    mean /= n;
    double var = 0;
    for (int i = 0; i < n; i++) {
      var += (means[i] - mean) * (means[i] - mean);
    }
    double sd = Math.sqrt(var / (n - 1));
    double s = NORMAL_REFERENCE * sd * Math.pow(n, -1.0 / (d + 4));
    double[] out = new double[n + 1];
    Arrays.fill(out, s);
    return out;
  }

  private static double[][] categoricalKernels(
      double[][] points, int axis, int k, double priorWeight) {
    int n = points.length;
    double[][] lp = new double[n + 1][k];
    double base = priorWeight / (n + 1);
    for (int i = 0; i < n; i++) {
      int chosen = new Axis.Choices(k).index(points[i][axis]);
      double norm = base * k + 1;
      for (int j = 0; j < k; j++) {
        lp[i][j] = Math.log((base + (j == chosen ? 1 : 0)) / norm);
      }
    }
    Arrays.fill(lp[n], -Math.log(k));
    return lp;
  }

  /** The number of mixture components: observations + prior. */
  public int components() {
    return components;
  }

  /** The normalised mixture weights, the prior's last. */
  public double[] weights() {
    return weights.clone();
  }

  /** Means of numeric axis {@code a}, one per component (the prior's last). */
  public double[] means(int a) {
    return mu[a].clone();
  }

  /** Bandwidths of numeric axis {@code a}, one per component (the prior's last). */
  public double[] bandwidths(int a) {
    return sigma[a].clone();
  }

  /** {@code m} points drawn from the mixture: a component by weight, then each axis's kernel. */
  public double[][] sample(RandomGenerator random, int m) {
    double[] cumulative = new double[components];
    double run = 0;
    for (int c = 0; c < components; c++) {
      run += weights[c];
      cumulative[c] = run;
    }
    double[][] out = new double[m][axes.length];
    for (int i = 0; i < m; i++) {
      double r = random.nextDouble() * run;
      int c = Arrays.binarySearch(cumulative, r);
      c = c >= 0 ? c : Math.min(components - 1, -c - 1);
      for (int a = 0; a < axes.length; a++) {
        out[i][a] = sampleAxis(random, a, c);
      }
    }
    return out;
  }

  private double sampleAxis(RandomGenerator random, int a, int c) {
    if (axes[a] instanceof Axis.Choices choices) {
      double r = random.nextDouble();
      double[] lp = logProb[a][c];
      int j = 0;
      for (; j < lp.length - 1; j++) {
        r -= Math.exp(lp[j]);
        if (r < 0) {
          break;
        }
      }
      return (j + 0.5) / choices.k();
    }
    // Inverse-CDF draw from the normal truncated to [0, 1]; the mean lies in [0, 1] and the
    // bandwidth is at most 1, so the truncated mass is at least 0.34 and the inversion is stable.
    double m = mu[a][c];
    double s = sigma[a][c];
    double lo = StandardNormal.fastCdf(-m / s);
    double hi = StandardNormal.fastCdf((1 - m) / s);
    double p = lo + random.nextDouble() * (hi - lo);
    p = Math.min(Math.max(p, 1e-300), 1 - 1e-16);
    double x = m + s * StandardNormal.inverseCdf(p);
    return axes[a].snap(x);
  }

  /** {@code ln} of the mixture's density (mass for ints and categoricals) at each of {@code xs}. */
  public double[] logDensity(double[][] xs) {
    int m = xs.length;
    double[] acc = new double[m * components];
    for (int i = 0; i < m; i++) {
      System.arraycopy(logWeights, 0, acc, i * components, components);
    }
    for (int a = 0; a < axes.length; a++) {
      Axis axis = axes[a];
      if (axis instanceof Axis.Choices choices) {
        double[][] lp = logProb[a];
        for (int i = 0; i < m; i++) {
          int j = choices.index(xs[i][a]);
          int base = i * components;
          for (int c = 0; c < components; c++) {
            acc[base + c] += lp[c][j];
          }
        }
      } else if (axis instanceof Axis.Cells cells) {
        double[] mm = mu[a];
        double[] ss = sigma[a];
        double[] lm = logMass[a];
        for (int i = 0; i < m; i++) {
          double[] cell = cells.cell(xs[i][a]);
          int base = i * components;
          for (int c = 0; c < components; c++) {
            acc[base + c] += logCellMass(cell[0], cell[1], mm[c], ss[c]) - lm[c];
          }
        }
      } else {
        double[] mm = mu[a];
        double[] ss = sigma[a];
        double[] norm = new double[components];
        double[] inv = new double[components];
        for (int c = 0; c < components; c++) {
          norm[c] = -Math.log(ss[c]) - StandardNormal.LOG_SQRT_2PI - logMass[a][c];
          inv[c] = 1 / ss[c];
        }
        for (int i = 0; i < m; i++) {
          double x = xs[i][a];
          int base = i * components;
          for (int c = 0; c < components; c++) {
            double z = (x - mm[c]) * inv[c];
            acc[base + c] += norm[c] - 0.5 * z * z;
          }
        }
      }
    }
    double[] out = new double[m];
    for (int i = 0; i < m; i++) {
      int base = i * components;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < components; c++) {
        max = Math.max(max, acc[base + c]);
      }
      double sum = 0;
      for (int c = 0; c < components; c++) {
        sum += Math.exp(acc[base + c] - max);
      }
      out[i] = max + Math.log(sum);
    }
    return out;
  }

  private static double logCellMass(double from, double to, double m, double s) {
    double a = (from - m) / s;
    double b = (to - m) / s;
    if (b - a < NARROW_CELL) {
      return StandardNormal.logPdf(0.5 * (a + b)) + Math.log(b - a);
    }
    return Math.log(Math.max(StandardNormal.mass(a, b), Double.MIN_NORMAL));
  }
}
