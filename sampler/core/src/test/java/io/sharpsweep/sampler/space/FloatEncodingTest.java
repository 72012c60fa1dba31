package io.sharpsweep.sampler.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FloatEncodingTest {

  @Test
  void aLinearRangeIsInterpolated() {
    FloatEncoding e = new FloatEncoding(-5, 10, false);
    assertThat(e.decode(0)).isEqualTo(-5.0);
    assertThat(e.decode(0.5)).isEqualTo(2.5);
    assertThat(e.decode(1)).isEqualTo(10.0);
    assertThat(e.encode(2.5)).isEqualTo(0.5);
    assertThat(e.encode(Integer.valueOf(-5))).isEqualTo(0.0);
  }

  @Test
  void aLogRangeIsUniformInTheLogarithm() {
    FloatEncoding e = new FloatEncoding(1e-4, 1, true);
    assertThat(e.decode(0.5)).isCloseTo(1e-2, within(1e-15));
    assertThat(e.decode(0.25)).isCloseTo(1e-3, within(1e-16));
    assertThat(e.encode(1e-3)).isCloseTo(0.25, within(1e-12));
    assertThat(e.decode(0)).isCloseTo(1e-4, within(1e-19));
    assertThat(e.decode(1)).isEqualTo(1.0);
  }

  @Test
  void decodedValuesNeverLeaveTheRange() {
    // exp(ln 0.1) is 0.10000000000000002: without clamping the upper end would fall outside [0.01,
    // 0.1].
    FloatEncoding e = new FloatEncoding(0.01, 0.1, true);
    for (int i = 0; i <= 10_000; i++) {
      assertThat(e.decode(i / 10_000.0)).isBetween(0.01, 0.1);
    }
    assertThat(e.decode(1.5)).isEqualTo(0.1);
    assertThat(e.decode(-1)).isEqualTo(0.01);
  }

  @Test
  void encodeThenDecodeIsTheIdentityUpToRounding() {
    FloatEncoding log = new FloatEncoding(1e-5, 3, true);
    FloatEncoding lin = new FloatEncoding(-2, 7, false);
    for (double x : new double[] {1e-5, 2.2e-4, 0.37, 3}) {
      assertThat(log.decode(log.encode(x))).isCloseTo(x, within(x * 1e-12));
    }
    for (double x : new double[] {-2, -0.1, 0, 6.99}) {
      assertThat(lin.decode(lin.encode(x))).isCloseTo(x, within(1e-12));
    }
  }

  @Test
  void aSinglePointRangeAndAHugeRangeWork() {
    assertThat(new FloatEncoding(0.5, 0.5, false).decode(0.9)).isEqualTo(0.5);
    assertThat(new FloatEncoding(0.5, 0.5, true).encode(0.5)).isEqualTo(0.5);
    FloatEncoding huge = new FloatEncoding(-Double.MAX_VALUE, Double.MAX_VALUE, false);
    assertThat(huge.decode(0.5)).isEqualTo(0.0);
    assertThat(huge.decode(0.75)).isCloseTo(Double.MAX_VALUE / 2, within(Double.MAX_VALUE * 1e-15));
    assertThat(huge.encode(0.0)).isEqualTo(0.5);
  }
}
