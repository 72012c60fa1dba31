package io.sharpsweep.protocol.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MomentsTest {
  @Test
  void meanAndSampleStdOfAHandComputedSet() {
    double[] v = {2, 4, 4, 4, 5, 5, 7, 9};
    // mean 40/8 = 5; squared deviations sum to 32; 32/7 under the root
    assertThat(Moments.mean(v)).isEqualTo(5.0);
    assertThat(Moments.sampleStd(v, 5.0)).isCloseTo(Math.sqrt(32.0 / 7), within(1e-15));
  }

  @Test
  void oneValueHasNoSpread() {
    assertThat(Moments.sampleStd(new double[] {3.5}, 3.5)).isZero();
  }
}
