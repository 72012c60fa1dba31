package io.sharpsweep.sampler.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Posterior and likelihood against values computed by hand (numpy, explicit matrix inverse). */
class GaussianProcessTest {
  // Three points in 2-D, lengthscales (0.5, 2), signal variance 1.5, noise 0.01.
  private static final double[][] X = {{0.2, 0.1}, {0.6, 0.5}, {0.9, 0.8}};
  private static final double[] Y = {1, -1, 0.5};
  private static final GpHyperparameters H =
      new GpHyperparameters(new double[] {0.5, 2}, 1.5, 0.01);

  @Test
  void posteriorMeanAndVarianceMatchTheClosedForm() {
    GaussianProcess gp = GaussianProcess.fit(X, Y, H);
    double[] a = gp.predict(new double[] {0.35, 0.3});
    assertThat(a[0]).isCloseTo(0.031961227002666105, within(1e-6 * 0.032));
    assertThat(a[1]).isCloseTo(0.06949759986118842, within(1e-6 * 0.0695));
    double[] b = gp.predict(new double[] {0.9, 0.1});
    assertThat(b[0]).isCloseTo(0.19828428275981733, within(1e-6 * 0.198));
    assertThat(b[1]).isCloseTo(0.25541078840951137, within(1e-6 * 0.255));
  }

  @Test
  void logMarginalLikelihoodMatchesTheClosedForm() {
    assertThat(GaussianProcess.logMarginalLikelihood(X, Y, H))
        .isCloseTo(-6.881464713302062, within(1e-6 * 6.88));
    assertThat(GaussianProcess.fit(X, Y, H).logMarginalLikelihood())
        .isCloseTo(-6.881464713302062, within(1e-6 * 6.88));
  }

  @Test
  void theMaternKernelAtKnownDistances() {
    Matern52Kernel k = new Matern52Kernel(new double[] {1}, 2);
    assertThat(k.value(new double[] {0}, new double[] {0})).isEqualTo(2.0);
    // r = 1: 2 (1 + sqrt5 + 5/3) e^-sqrt5.
    double r1 = 2 * (1 + Math.sqrt(5) + 5 / 3.0) * Math.exp(-Math.sqrt(5));
    assertThat(k.value(new double[] {0.3}, new double[] {1.3})).isCloseTo(r1, offset(1e-15));
  }

  @Test
  void almostNoiseFreeDataIsInterpolated() {
    GpHyperparameters tight = new GpHyperparameters(new double[] {0.5, 2}, 1.5, 1e-10);
    GaussianProcess gp = GaussianProcess.fit(X, Y, tight);
    for (int i = 0; i < X.length; i++) {
      double[] p = gp.predict(X[i]);
      assertThat(p[0]).isCloseTo(Y[i], within(1e-6));
      assertThat(p[1]).isLessThan(1e-6);
    }
  }

  @Test
  void choleskyOfAKnownMatrix() {
    // [[4, 2, 2], [2, 5, 3], [2, 3, 6]] = L L^T with L = [[2,0,0],[1,2,0],[1,1,2]].
    Cholesky c = Cholesky.of(new double[] {4, 2, 2, 2, 5, 3, 2, 3, 6}, 3);
    assertThat(c.get(1, 0)).isEqualTo(1.0);
    assertThat(c.get(2, 1)).isEqualTo(1.0);
    assertThat(c.get(2, 2)).isEqualTo(2.0);
    assertThat(c.logDeterminant()).isCloseTo(Math.log(64), within(1e-12));
    // A x = (8, 10, 11) has x = (1, 1, 1).
    assertThat(c.solve(new double[] {8, 10, 11}))
        .containsExactly(new double[] {1, 1, 1}, within(1e-12));
    // A duplicated point makes the kernel matrix singular; jitter makes it factorable.
    assertThat(Cholesky.of(new double[] {1, 1, 1, 1}, 2)).isNull();
    assertThat(Cholesky.withJitter(new double[] {1, 1, 1, 1}, 2).jitter()).isPositive();
  }

  @Test
  void fittedHyperparametersExplainSmoothDataBetterThanTheStart() {
    double[][] x = new double[15][];
    double[] y = new double[15];
    for (int i = 0; i < 15; i++) {
      x[i] = new double[] {i / 14.0};
      y[i] = Math.sin(6 * x[i][0]);
    }
    GpSampler.standardise(y);
    GpHyperparameters h = HyperparameterFit.fit(x, y);
    GpHyperparameters start = new GpHyperparameters(new double[] {0.3}, 1, 1e-4);
    assertThat(GaussianProcess.logMarginalLikelihood(x, y, h))
        .isGreaterThan(GaussianProcess.logMarginalLikelihood(x, y, start));
    // A smooth noise-free curve: small noise, a lengthscale of the order of the period.
    assertThat(h.noiseVariance()).isLessThan(1e-3);
    assertThat(h.lengthscales()[0]).isBetween(0.1, 3.0);
  }
}
