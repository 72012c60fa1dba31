package io.sharpsweep.worker.sam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sharpsweep.worker.sam.policy.AdaptiveSwitching;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** AE-SAM's switch on known sequences, T13 (and T16's limits) of docs/sam-variants.md#tests. */
class AdaptiveSwitchingTest {
  private static final double[] X = {4.0, 4.2, 3.9, 5.0, 4.1, 6.0, 4.0, 3.5, 4.4, 7.0};
  private static final double[] MEAN = {
    4.0, 4.02, 4.008, 4.1072, 4.10648, 4.295832, 4.266249, 4.189624, 4.210662, 4.489595
  };
  private static final double[] VAR = {
    0.0, 0.00324, 0.004082, 0.083383, 0.075049, 0.357963, 0.329256, 0.343888, 0.313084, 0.911989
  };
  private static final double[] THRESHOLD = {
    4.000000, 4.065537, 4.046336, 4.222705, 4.161270, 4.295832, 4.151487, 3.955056, 3.874938,
    3.725610
  };
  private static final boolean[] SAM = {
    true, true, false, true, false, true, false, false, true, true
  };

  @Test
  void t13GoldenSequenceWithFirstSampleInit() {
    AdaptiveSwitching policy =
        new AdaptiveSwitching(0.9, -1, 1, AdaptiveSwitching.Init.FIRST_SAMPLE);
    int sam = 0;
    for (int t = 0; t < X.length; t++) {
      boolean decision = policy.observe(t, 10, X[t]);
      assertThat(policy.mean()).as("μ at t=%d", t).isCloseTo(MEAN[t], within(1e-6));
      assertThat(policy.variance()).as("σ² at t=%d", t).isCloseTo(VAR[t], within(1e-6));
      double c = policy.coefficient(t, 10);
      assertThat(c).isCloseTo(1.0 - 0.2 * t, within(1e-12));
      assertThat(policy.mean() + c * Math.sqrt(policy.variance()))
          .as("threshold at t=%d", t)
          .isCloseTo(THRESHOLD[t], within(1e-6));
      assertThat(decision).as("decision at t=%d", t).isEqualTo(SAM[t]);
      sam += decision ? 1 : 0;
    }
    assertThat(sam).isEqualTo(6);
  }

  @Test
  void t13ZeroInitMakesEveryStepOfTheSequenceSam() {
    AdaptiveSwitching policy = new AdaptiveSwitching(0.9, -1, 1, AdaptiveSwitching.Init.ZERO);
    for (int t = 0; t < X.length; t++) {
      assertThat(policy.observe(t, 10, X[t])).as("t=%d", t).isTrue();
      if (t == 0) {
        assertThat(policy.mean()).isCloseTo(0.4, within(1e-12));
        assertThat(policy.mean() + Math.sqrt(policy.variance())).isCloseTo(1.538, within(1e-3));
      }
    }
  }

  @Test
  void t13StatisticalFractionsOnGaussianNorms() {
    double[] c = {-1, 0, 0.5, 1, 2};
    double[] expected = {0.835, 0.50, 0.319, 0.165, 0.012};
    int n = 200_000;
    for (int k = 0; k < c.length; k++) {
      AdaptiveSwitching policy =
          new AdaptiveSwitching(0.9, c[k], c[k], AdaptiveSwitching.Init.FIRST_SAMPLE);
      Random rng = new Random(17 + k);
      int sam = 0;
      for (int t = 0; t < n; t++) {
        sam += policy.observe(t, n, 10 + rng.nextGaussian()) ? 1 : 0;
      }
      assertThat((double) sam / n).as("c = %s", c[k]).isCloseTo(expected[k], within(0.005));
    }
    AdaptiveSwitching linear =
        new AdaptiveSwitching(0.9, -1, 1, AdaptiveSwitching.Init.FIRST_SAMPLE);
    Random rng = new Random(5);
    int sam = 0;
    for (int t = 0; t < n; t++) {
      sam += linear.observe(t, n, 10 + rng.nextGaussian()) ? 1 : 0;
    }
    assertThat((double) sam / n).isCloseTo(0.50, within(0.005));
  }

  @Test
  void t16InfiniteThresholdsAreAlwaysAndNeverSam() {
    AdaptiveSwitching always =
        new AdaptiveSwitching(
            0.9,
            Double.NEGATIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            AdaptiveSwitching.Init.FIRST_SAMPLE);
    AdaptiveSwitching never =
        new AdaptiveSwitching(
            0.9,
            Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            AdaptiveSwitching.Init.FIRST_SAMPLE);
    for (int t = 0; t < X.length; t++) {
      assertThat(always.observe(t, 10, X[t])).isTrue();
      assertThat(never.observe(t, 10, X[t])).isFalse();
    }
  }

  @Test
  void aeLookSamDecidesLikeAeSamOnTheSameNorms() {
    AdaptiveSwitching ae =
        (AdaptiveSwitching)
            new AeSam(0.05, 0.9, -1, 1, AdaptiveSwitching.Init.FIRST_SAMPLE).policy();
    AdaptiveSwitching aeLook = (AdaptiveSwitching) new AeLookSam(0.05, 0.9, -1, 1, 0.7).policy();
    Random rng = new Random(3);
    for (int t = 0; t < 1000; t++) {
      double x = Math.exp(rng.nextGaussian());
      assertThat(aeLook.observe(t, 1000, x)).isEqualTo(ae.observe(t, 1000, x));
    }
  }
}
