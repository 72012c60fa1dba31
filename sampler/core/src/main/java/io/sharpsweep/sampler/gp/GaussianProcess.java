package io.sharpsweep.sampler.gp;

/**
 * Gaussian-process regression with a {@link Matern52Kernel} and Gaussian noise (Rasmussen and
 * Williams, "Gaussian Processes for Machine Learning", 2006, Algorithm 2.1): with {@code K} the
 * kernel matrix of the inputs, {@code L L^T = K + noise I} and {@code alpha = (K + noise I)^-1 y},
 * the posterior of the latent function at {@code x*} has mean {@code k*^T alpha} and variance
 * {@code k(x*, x*) - v^T v} with {@code v = L^-1 k*}; the log marginal likelihood is {@code -y^T
 * alpha / 2 - sum ln L_ii - n/2 ln 2 pi} (eq. 2.30).
 */
public final class GaussianProcess {
  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private final double[][] x;
  private final double[] y;
  private final GpHyperparameters hyper;
  private final Matern52Kernel kernel;
  private final Cholesky chol;
  private final double[] alpha;

  private GaussianProcess(
      double[][] x, double[] y, GpHyperparameters hyper, Matern52Kernel kernel, Cholesky chol) {
    this.x = x;
    this.y = y;
    this.hyper = hyper;
    this.kernel = kernel;
    this.chol = chol;
    this.alpha = chol.solve(y);
  }

  /**
   * The posterior given inputs {@code x} ({@code [point][feature]}) and outputs {@code y}; jitter
   * is added to the diagonal if rounding made the matrix indefinite.
   */
  public static GaussianProcess fit(double[][] x, double[] y, GpHyperparameters hyper) {
    Matern52Kernel kernel = new Matern52Kernel(hyper.lengthscales(), hyper.signalVariance());
    return new GaussianProcess(
        x, y, hyper, kernel, Cholesky.withJitter(gram(x, kernel, hyper.noiseVariance()), x.length));
  }

  /**
   * {@code ln p(y | x, hyper)}, or negative infinity if the kernel matrix is not positive definite
   * without jitter (a hyper-parameter search should move away from there).
   */
  public static double logMarginalLikelihood(double[][] x, double[] y, GpHyperparameters hyper) {
    Matern52Kernel kernel = new Matern52Kernel(hyper.lengthscales(), hyper.signalVariance());
    int n = x.length;
    Cholesky c = Cholesky.of(gram(x, kernel, hyper.noiseVariance()), n);
    if (c == null) {
      return Double.NEGATIVE_INFINITY;
    }
    double[] v = c.solveLower(y);
    double fit = 0;
    for (double t : v) {
      fit += t * t;
    }
    return -0.5 * fit - 0.5 * c.logDeterminant() - 0.5 * n * LOG_2PI;
  }

  static double[] gram(double[][] x, Matern52Kernel kernel, double noise) {
    int n = x.length;
    double[] k = new double[n * n];
    for (int i = 0; i < n; i++) {
      k[i * n + i] = kernel.signalVariance() + noise;
      for (int j = 0; j < i; j++) {
        double v = kernel.value(x[i], x[j]);
        k[i * n + j] = v;
        k[j * n + i] = v;
      }
    }
    return k;
  }

  public GpHyperparameters hyperparameters() {
    return hyper;
  }

  public int size() {
    return x.length;
  }

  /** The log marginal likelihood of this GP's data (jitter included). */
  public double logMarginalLikelihood() {
    double[] v = chol.solveLower(y);
    double fit = 0;
    for (double t : v) {
      fit += t * t;
    }
    return -0.5 * fit - 0.5 * chol.logDeterminant() - 0.5 * x.length * LOG_2PI;
  }

  /** {@code {mean, variance}} of the latent function at {@code point} (noise not included). */
  public double[] predict(double[] point) {
    int n = x.length;
    double[] v = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      v[i] = kernel.value(point, x[i]);
      mean += v[i] * alpha[i];
    }
    // v = L^-1 k*, in place.
    double explained = chol.forwardSubstituteSquaredNorm(v);
    double variance = Math.max(kernel.signalVariance() - explained, 0);
    return new double[] {mean, variance};
  }

  /** This GP with one more observation (a fantasy, for the kriging believer). */
  public GaussianProcess with(double[] point, double value) {
    int n = x.length;
    double[][] x2 = java.util.Arrays.copyOf(x, n + 1);
    x2[n] = point.clone();
    double[] y2 = java.util.Arrays.copyOf(y, n + 1);
    y2[n] = value;
    return fit(x2, y2, hyper);
  }
}
