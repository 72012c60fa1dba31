package io.sharpsweep.sampler.gp;

import java.util.Arrays;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Type-II maximum a posteriori estimate of the GP hyper-parameters (Rasmussen and Williams, 2006,
 * §5.4.1): the log marginal likelihood of the standardised outputs plus log priors, maximised over
 * the logarithms of the lengthscales, the signal variance and the noise variance within bounds, by
 * Powell's BOBYQA ("The BOBYQA algorithm for bound constrained optimization without derivatives",
 * 2009; commons-math3) from two starting points (long and short lengthscales).
 *
 * <p>Priors as BoTorch's classic {@code SingleTaskGP} on inputs in the unit cube: lengthscales
 * Gamma(3, 6) (mode 1/3), signal variance Gamma(2, 0.15); the noise variance has none, within
 * {@code [1e-8, 2]}, so a deterministic objective can be interpolated closely and a noisy one gets
 * its noise estimated.
 */
public final class HyperparameterFit {
  static final double MIN_LENGTHSCALE = 0.01;
  static final double MAX_LENGTHSCALE = 30;
  static final double MIN_SIGNAL = 0.05;
  static final double MAX_SIGNAL = 50;
  static final double MIN_NOISE = 1e-8;
  static final double MAX_NOISE = 2;

  private HyperparameterFit() {}

  /**
   * The fitted hyper-parameters for inputs {@code x} and standardised outputs {@code y}: the search
   * runs from both starting points, or for more than {@code twoStartsUpTo} points only from the one
   * with the higher posterior (the cost of each evaluation is cubic in the points).
   */
  public static GpHyperparameters fit(double[][] x, double[] y) {
    return fit(x, y, 100);
  }

  static GpHyperparameters fit(double[][] x, double[] y, int twoStartsUpTo) {
    int dims = x[0].length;
    int m = dims + 2;
    double[] lower = new double[m];
    double[] upper = new double[m];
    Arrays.fill(lower, 0, dims, Math.log(MIN_LENGTHSCALE));
    Arrays.fill(upper, 0, dims, Math.log(MAX_LENGTHSCALE));
    lower[dims] = Math.log(MIN_SIGNAL);
    upper[dims] = Math.log(MAX_SIGNAL);
    lower[dims + 1] = Math.log(MIN_NOISE);
    upper[dims + 1] = Math.log(MAX_NOISE);
    double[][] starts = {start(dims, 0.3, 1.0, 1e-4), start(dims, 1.0, 1.0, 1e-6)};
    if (x.length > twoStartsUpTo) {
      double a = logPosterior(x, y, starts[0]);
      double b = logPosterior(x, y, starts[1]);
      starts = new double[][] {a >= b ? starts[0] : starts[1]};
    }
    double[] best = null;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (double[] s : starts) {
      Tracker t = new Tracker(x, y);
      BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * m + 1, 1.0, 1e-2);
      try {
        optimizer.optimize(
            new MaxEval(40 * m),
            new ObjectiveFunction(t::value),
            GoalType.MAXIMIZE,
            new InitialGuess(s),
            new SimpleBounds(lower, upper));
      } catch (TooManyEvaluationsException e) {
        // The best point seen so far is kept by the tracker; a budget-limited fit is still a fit.
      }
      if (t.bestValue > bestValue) {
        bestValue = t.bestValue;
        best = t.best;
      }
    }
    if (best == null) {
      best = starts[0];
    }
    return decode(best, dims);
  }

  /**
   * The log posterior (up to a constant) at {@code theta} = logs of (lengthscales, signal, noise).
   */
  public static double logPosterior(double[][] x, double[] y, double[] theta) {
    int dims = theta.length - 2;
    GpHyperparameters h = decode(theta, dims);
    double lml = GaussianProcess.logMarginalLikelihood(x, y, h);
    if (!Double.isFinite(lml)) {
      return -1e300;
    }
    double prior = 0;
    for (double l : h.lengthscales()) {
      prior += 2 * Math.log(l) - 6 * l; // Gamma(3, 6)
    }
    prior += Math.log(h.signalVariance()) - 0.15 * h.signalVariance(); // Gamma(2, 0.15)
    return lml + prior;
  }

  static GpHyperparameters decode(double[] theta, int dims) {
    double[] ls = new double[dims];
    for (int d = 0; d < dims; d++) {
      ls[d] = Math.exp(theta[d]);
    }
    return new GpHyperparameters(ls, Math.exp(theta[dims]), Math.exp(theta[dims + 1]));
  }

  private static double[] start(int dims, double lengthscale, double signal, double noise) {
    double[] s = new double[dims + 2];
    Arrays.fill(s, 0, dims, Math.log(lengthscale));
    s[dims] = Math.log(signal);
    s[dims + 1] = Math.log(noise);
    return s;
  }

  /** Remembers the best point the optimiser evaluated. */
  private static final class Tracker {
    final double[][] x;
    final double[] y;
    double[] best;
    double bestValue = Double.NEGATIVE_INFINITY;

    Tracker(double[][] x, double[] y) {
      this.x = x;
      this.y = y;
    }

    double value(double[] theta) {
      double v = logPosterior(x, y, theta);
      if (v > bestValue) {
        bestValue = v;
        best = theta.clone();
      }
      return v;
    }
  }
}
