package io.sharpsweep.sampler.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ExpectedImprovementTest {

  @Test
  void closedFormValues() {
    // sigma (phi(z) + z Phi(z)), z = (best - mu) / sigma; values from scipy.stats.norm.
    assertThat(ExpectedImprovement.value(0, 1, 0)).isCloseTo(0.3989422804014327, within(1e-12));
    assertThat(ExpectedImprovement.value(1, 4, 0.5)).isCloseTo(0.5726893964471604, within(1e-12));
    assertThat(ExpectedImprovement.value(0.3, 0.01, 0.1))
        .isCloseTo(0.000849070261682966, within(1e-15));
  }

  @Test
  void farBelowTheIncumbentTheLogStaysFiniteAndAccurate() {
    // ln h(z) by 50-digit arithmetic (mpmath).
    assertThat(ExpectedImprovement.logH(-10)).isCloseTo(-55.553122036122356, within(1e-9));
    assertThat(ExpectedImprovement.logH(-40)).isCloseTo(-808.29856835661996, within(1e-9));
    // Continuous across the switch at z = -6.
    assertThat(ExpectedImprovement.logH(-6 + 1e-9))
        .isCloseTo(ExpectedImprovement.logH(-6 - 1e-9), within(1e-6));
    // Monotone: a lower mean is always better.
    assertThat(ExpectedImprovement.logValue(50, 1, 0))
        .isGreaterThan(ExpectedImprovement.logValue(60, 1, 0));
    assertThat(ExpectedImprovement.logValue(1e5, 1, 0)).isFinite();
  }

  @Test
  void zeroVarianceIsTheSureImprovement() {
    assertThat(ExpectedImprovement.value(0.2, 0, 1)).isCloseTo(0.8, within(1e-12));
    assertThat(ExpectedImprovement.logValue(2, 0, 1)).isEqualTo(Double.NEGATIVE_INFINITY);
  }
}
