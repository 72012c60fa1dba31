package io.sharpsweep.sampler.gp;

/**
 * The Cholesky factorisation {@code A = L L^T} of a symmetric positive-definite matrix (Golub and
 * Van Loan, "Matrix Computations", 4th ed., Algorithm 4.2.1, the row-oriented variant), on a flat
 * row-major array for speed, and the triangular solves that use it.
 *
 * <p>Kernel matrices of near-duplicate inputs are positive definite only in exact arithmetic;
 * {@link #withJitter} retries with growing multiples of the mean diagonal added to the diagonal
 * (1e-10, 1e-8, ..., 1e-2), the usual remedy.
 */
public final class Cholesky {
  private final int n;
  private final double[] l; // row-major lower triangle, n x n
  private final double jitter;

  private Cholesky(int n, double[] l, double jitter) {
    this.n = n;
    this.l = l;
    this.jitter = jitter;
  }

  /**
   * The factor of {@code a} (row-major, {@code n x n}, symmetric), or null if not positive
   * definite.
   */
  public static Cholesky of(double[] a, int n) {
    return factor(a, n, 0);
  }

  /** The factor of {@code a} with the smallest jitter that makes it positive definite. */
  public static Cholesky withJitter(double[] a, int n) {
    Cholesky c = factor(a, n, 0);
    if (c != null) {
      return c;
    }
    double meanDiagonal = 0;
    for (int i = 0; i < n; i++) {
      meanDiagonal += a[i * n + i];
    }
    meanDiagonal = Math.max(meanDiagonal / Math.max(n, 1), 1e-300);
    for (double eps = 1e-10; eps <= 1e-2; eps *= 100) {
      c = factor(a, n, eps * meanDiagonal);
      if (c != null) {
        return c;
      }
    }
    throw new ArithmeticException("matrix is not positive definite even with jitter 1e-2");
  }

  private static Cholesky factor(double[] a, int n, double jitter) {
    double[] l = new double[n * n];
    for (int i = 0; i < n; i++) {
      int ri = i * n;
      for (int j = 0; j <= i; j++) {
        int rj = j * n;
        double s = a[ri + j];
        for (int k = 0; k < j; k++) {
          s -= l[ri + k] * l[rj + k];
        }
        if (i == j) {
          s += jitter;
          if (!(s > 0)) {
            return null;
          }
          l[ri + i] = Math.sqrt(s);
        } else {
          l[ri + j] = s / l[rj + j];
        }
      }
    }
    return new Cholesky(n, l, jitter);
  }

  public int size() {
    return n;
  }

  /** The jitter that was added to the diagonal (0 if none was needed). */
  public double jitter() {
    return jitter;
  }

  /** {@code L[i][j]}. */
  public double get(int i, int j) {
    return j <= i ? l[i * n + j] : 0;
  }

  /** {@code x} with {@code L x = b}. */
  public double[] solveLower(double[] b) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      int ri = i * n;
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[ri + k] * x[k];
      }
      x[i] = s / l[ri + i];
    }
    return x;
  }

  /** Solves {@code L x = b} in place ({@code b} becomes {@code x}) and returns {@code |x|^2}. */
  double forwardSubstituteSquaredNorm(double[] b) {
    double norm = 0;
    for (int i = 0; i < n; i++) {
      int ri = i * n;
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[ri + k] * b[k];
      }
      s /= l[ri + i];
      b[i] = s;
      norm += s * s;
    }
    return norm;
  }

  /** {@code x} with {@code L^T x = b}. */
  public double[] solveUpper(double[] b) {
    double[] x = b.clone();
    for (int i = n - 1; i >= 0; i--) {
      x[i] /= l[i * n + i];
      double xi = x[i];
      int ri = i * n;
      for (int k = 0; k < i; k++) {
        x[k] -= l[ri + k] * xi;
      }
    }
    return x;
  }

  /** {@code x} with {@code A x = b}. */
  public double[] solve(double[] b) {
    return solveUpper(solveLower(b));
  }

  /** {@code ln det A = 2 sum ln L_ii}. */
  public double logDeterminant() {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.log(l[i * n + i]);
    }
    return 2 * s;
  }
}
