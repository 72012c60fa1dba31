package io.sharpsweep.sampler.gp;

/**
 * The Matérn kernel with smoothness 5/2 and automatic relevance determination (Rasmussen and
 * Williams, "Gaussian Processes for Machine Learning", 2006, eq. 4.17 with one lengthscale per
 * input): {@code k(x, x') = s (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r)}, {@code r^2 = sum_d ((x_d -
 * x'_d) / l_d)^2}. Twice differentiable, so the posterior is smooth enough for local optimisation
 * of the acquisition, yet not as smooth as the squared exponential (Snoek, Larochelle and Adams,
 * NeurIPS 2012, recommend it for hyper-parameter search).
 */
public final class Matern52Kernel {
  private static final double SQRT5 = Math.sqrt(5);

  private final double[] inverseLengthscales;
  private final double signalVariance;

  public Matern52Kernel(double[] lengthscales, double signalVariance) {
    this.inverseLengthscales = new double[lengthscales.length];
    for (int d = 0; d < lengthscales.length; d++) {
      inverseLengthscales[d] = 1 / lengthscales[d];
    }
    this.signalVariance = signalVariance;
  }

  public double signalVariance() {
    return signalVariance;
  }

  public double value(double[] a, double[] b) {
    double r2 = 0;
    for (int d = 0; d < a.length; d++) {
      double t = (a[d] - b[d]) * inverseLengthscales[d];
      r2 += t * t;
    }
    return ofSquaredDistance(r2);
  }

  /** The kernel at scaled squared distance {@code r2}. */
  public double ofSquaredDistance(double r2) {
    double r = Math.sqrt(r2);
    return signalVariance * (1 + SQRT5 * r + 5.0 / 3.0 * r2) * Math.exp(-SQRT5 * r);
  }
}
