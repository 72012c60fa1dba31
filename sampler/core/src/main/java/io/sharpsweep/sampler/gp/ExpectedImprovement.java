package io.sharpsweep.sampler.gp;

import io.sharpsweep.sampler.StandardNormal;

/**
 * Expected improvement below an incumbent for a normal posterior (Jones, Schonlau and Welch,
 * "Efficient global optimization of expensive black-box functions", J. Global Optim. 13, 1998, eq.
 * 15): {@code EI = sigma h(z)}, {@code z = (best - mu) / sigma}, {@code h(z) = phi(z) + z Phi(z)},
 * computed in log space as "LogEI" (Ament, Daulton, Eriksson, Balandat and Bakshy, "Unexpected
 * improvements to expected improvement for Bayesian optimization", NeurIPS 2023): far below the
 * incumbent {@code h(z)} underflows, so {@code ln h(z)} is {@code ln phi(z) + ln(1 - t m(t))} with
 * {@code t = -z} and {@code m} the Mills ratio (Laplace's continued fraction), which keeps the
 * acquisition informative (non-flat) everywhere.
 */
public final class ExpectedImprovement {

  private ExpectedImprovement() {}

  /** {@code E[max(best - f, 0)]} for {@code f ~ N(mean, variance)}. */
  public static double value(double mean, double variance, double best) {
    return Math.exp(logValue(mean, variance, best));
  }

  /** {@code ln E[max(best - f, 0)]}; negative infinity only for zero variance at or above best. */
  public static double logValue(double mean, double variance, double best) {
    double sigma = Math.sqrt(variance);
    if (!(sigma > 0)) {
      return best > mean ? Math.log(best - mean) : Double.NEGATIVE_INFINITY;
    }
    return Math.log(sigma) + logH((best - mean) / sigma);
  }

  /** {@code ln(phi(z) + z Phi(z))}. */
  static double logH(double z) {
    if (z > -6) {
      return Math.log(StandardNormal.pdf(z) + z * StandardNormal.cdf(z));
    }
    double t = -z;
    double r;
    if (t > 1e4) {
      r = (1 - 3 / (t * t)) / (t * t);
    } else {
      r = 1 - t * millsRatio(t);
    }
    return StandardNormal.logPdf(z) + Math.log(r);
  }

  /** {@code Q(t) / phi(t)} for {@code t >= 6} by Laplace's continued fraction. */
  static double millsRatio(double t) {
    double f = t;
    for (int k = 60; k >= 1; k--) {
      f = t + k / f;
    }
    return 1 / f;
  }
}
