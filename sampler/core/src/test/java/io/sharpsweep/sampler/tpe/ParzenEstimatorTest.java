package io.sharpsweep.sampler.tpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

import io.sharpsweep.sampler.space.IntEncoding;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * A tiny estimator checked against values computed by hand (scipy.stats.norm for the truncated
 * normal masses).
 */
class ParzenEstimatorTest {
  private static final ParzenEstimator.Settings UNIVARIATE =
      ParzenEstimator.Settings.optunaDefaults(false);

  @Test
  void bandwidthsFollowTheNeighbourRuleWithTheMagicClip() {
    // Means 0.2, 0.6 and the prior's 0.5; sorted with the ends: 0, 0.2, 0.5, 0.6, 1. Without
    // endpoints the outermost take their inner gap: 0.2 -> 0.3, 0.6 -> 0.1; the clip floor is
    // 1 / (3 components + 1) = 0.25, so 0.6 gets 0.25; the prior has 1.
    ParzenEstimator pe =
        ParzenEstimator.fit(
            new double[][] {{0.2}, {0.6}},
            new double[] {1, 1},
            new Axis[] {new Axis.Continuous()},
            UNIVARIATE);
    assertThat(pe.means(0)).containsExactly(0.2, 0.6, 0.5);
    assertThat(pe.bandwidths(0)).containsExactly(new double[] {0.3, 0.25, 1.0}, within(1e-12));
    assertThat(pe.weights())
        .containsExactly(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, within(1e-12));
    // With endpoints the outermost mean 0.2 gets max(0.2 - 0, 0.5 - 0.2) = 0.3 and 0.6 gets
    // max(0.1, 0.4) = 0.4.
    ParzenEstimator withEnds =
        ParzenEstimator.fit(
            new double[][] {{0.2}, {0.6}},
            new double[] {1, 1},
            new Axis[] {new Axis.Continuous()},
            new ParzenEstimator.Settings(1.0, true, 1.0, true, false, false));
    assertThat(withEnds.bandwidths(0)).containsExactly(new double[] {0.3, 0.4, 1.0}, within(1e-12));
  }

  @Test
  void theDensityIsTheWeightedMixtureOfTruncatedNormals() {
    ParzenEstimator pe =
        ParzenEstimator.fit(
            new double[][] {{0.2}, {0.6}},
            new double[] {1, 1},
            new Axis[] {new Axis.Continuous()},
            UNIVARIATE);
    double[] logPdf = pe.logDensity(new double[][] {{0.4}, {0.05}, {0.9}});
    // sum_c w_c phi((x - mu_c)/s_c) / (s_c Z_c), Z_c the kernel's mass on [0, 1] (scipy).
    assertThat(logPdf[0]).isCloseTo(0.21111027381616976, offset(1e-6));
    assertThat(logPdf[1]).isCloseTo(-0.11616486995753764, offset(1e-6));
    assertThat(logPdf[2]).isCloseTo(-0.4524369996106312, offset(1e-6));
  }

  @Test
  void anIntValueHasTheKernelsMassOverItsCell() {
    // int 1..5: cells of width 0.2; observed 2 and 4 at 0.3 and 0.7; bandwidths clip to 0.25.
    Axis ints = new Axis.Cells(new IntEncoding(1, 5, false));
    ParzenEstimator pe =
        ParzenEstimator.fit(
            new double[][] {{0.3}, {0.7}}, new double[] {1, 1}, new Axis[] {ints}, UNIVARIATE);
    assertThat(pe.bandwidths(0)).containsExactly(new double[] {0.25, 0.25, 1.0}, within(1e-12));
    double[] lp = pe.logDensity(new double[][] {{0.1}, {0.5}, {0.9}});
    assertThat(lp[0]).isCloseTo(-1.8429113391111633, offset(1e-6));
    assertThat(lp[1]).isCloseTo(-1.4157569750924124, offset(1e-6));
    assertThat(lp[2]).isCloseTo(-1.8429113391111642, offset(1e-6));
    double total = 0;
    for (double u : new double[] {0.1, 0.3, 0.5, 0.7, 0.9}) {
      total += Math.exp(pe.logDensity(new double[][] {{u}})[0]);
    }
    assertThat(total).as("the five values' probabilities").isCloseTo(1.0, within(1e-6));
  }

  @Test
  void categoricalKernelsFollowTheObservedChoicePlusThePrior() {
    // 3 choices, observed choices 0 and 2, prior weight 1: each observation's kernel has
    // 1/3 + 1 on its choice and 1/3 elsewhere, over 5/3 + ... normalised: (2/3, 1/6, 1/6);
    // the prior is uniform. Mixture of choice 0: (2/3 + 1/6 + 1/3) / 3 = 7/18.
    Axis choices = new Axis.Choices(3);
    ParzenEstimator pe =
        ParzenEstimator.fit(
            new double[][] {{1 / 6.0}, {5 / 6.0}},
            new double[] {1, 1},
            new Axis[] {choices},
            UNIVARIATE);
    double[] lp = pe.logDensity(new double[][] {{1 / 6.0}, {0.5}, {5 / 6.0}});
    assertThat(Math.exp(lp[0])).isCloseTo(7 / 18.0, within(1e-12));
    assertThat(Math.exp(lp[1])).isCloseTo((1 / 6.0 + 1 / 6.0 + 1 / 3.0) / 3, within(1e-12));
    assertThat(Math.exp(lp[2])).isCloseTo(7 / 18.0, within(1e-12));
  }

  @Test
  void multivariateBandwidthsFollowScottsRule() {
    // 0.2 n^(-1/(d+4)) with n = 4, d = 2: 0.2 * 4^(-1/6) = 0.15874, above the clip 1/6.
    double[][] pts = {{0.1, 0.1}, {0.2, 0.9}, {0.8, 0.5}, {0.4, 0.4}};
    ParzenEstimator pe =
        ParzenEstimator.fit(
            pts,
            new double[] {1, 1, 1, 1},
            new Axis[] {new Axis.Continuous(), new Axis.Continuous()},
            new ParzenEstimator.Settings(1.0, false, 1.0, false, true, false));
    assertThat(pe.bandwidths(1)[0]).isCloseTo(0.2 * Math.pow(4, -1 / 6.0), within(1e-12));
    // The joint density of a product kernel mixture integrates to 1 over the square.
    int grid = 200;
    double[][] xs = new double[grid * grid][];
    for (int i = 0; i < grid; i++) {
      for (int j = 0; j < grid; j++) {
        xs[i * grid + j] = new double[] {(i + 0.5) / grid, (j + 0.5) / grid};
      }
    }
    double integral = 0;
    for (double lp : pe.logDensity(xs)) {
      integral += Math.exp(lp) / (grid * grid);
    }
    assertThat(integral).isCloseTo(1.0, within(1e-3));
  }

  @Test
  void samplesStayInTheCubeAndFollowTheMixture() {
    ParzenEstimator pe =
        ParzenEstimator.fit(
            new double[][] {{0.05}},
            new double[] {1},
            new Axis[] {new Axis.Continuous()},
            new ParzenEstimator.Settings(0.001, true, 1.0, false, false, false));
    double[][] s = pe.sample(new Well19937c(1), 4000);
    double mean = 0;
    for (double[] p : s) {
      assertThat(p[0]).isBetween(0.0, 1.0);
      mean += p[0] / s.length;
    }
    // The kernel at 0.05 has bandwidth 0.45 (the gap to the prior's mean 0.5); truncated to
    // [0, 1] its mean is 0.3521 (scipy.stats.truncnorm), the prior's (weight 0.001) is 0.5:
    // 0.999 x 0.3521 + 0.001 x 0.5 = 0.3521; 4000 draws have a standard error of 0.004.
    assertThat(pe.bandwidths(0)[0]).isCloseTo(0.45, within(1e-12));
    assertThat(mean).isCloseTo(0.3521, within(0.015));
  }
}
