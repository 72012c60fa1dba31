package io.sharpsweep.sampler.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntEncodingTest {
  private static final int GRID = 1_000_000;

  /** Frequencies of each value when u runs over a fine, evenly spaced grid of [0, 1). */
  private static double[] frequencies(IntEncoding e) {
    double[] f = new double[(int) e.size()];
    for (int i = 0; i < GRID; i++) {
      f[(int) (e.decode((i + 0.5) / GRID) - e.low())] += 1.0 / GRID;
    }
    return f;
  }

  @Test
  void onALinearScaleEveryIntegerHasTheSameShare() {
    double[] f = frequencies(new IntEncoding(1, 8, false));
    for (double share : f) {
      assertThat(share).isCloseTo(1 / 8.0, within(1e-9));
    }
  }

  @Test
  void onALogScaleIntegerKHasTheShareOfItsLogCell() {
    IntEncoding e = new IntEncoding(1, 100, true);
    double[] f = frequencies(e);
    double total = Math.log(100.5 / 0.5);
    for (int k = 1; k <= 100; k++) {
      double expected = Math.log((k + 0.5) / (k - 0.5)) / total;
      assertThat(f[k - 1]).as("share of %d", k).isCloseTo(expected, within(2e-6));
    }
    assertThat(f[0])
        .isCloseTo(
            Math.log(3) / Math.log(201),
            within(2e-6)); // 0.2072: the smallest value is the likeliest
  }

  @Test
  void theEndsOfTheUnitIntervalAreTheEndsOfTheRange() {
    for (boolean log : new boolean[] {false, true}) {
      IntEncoding e = new IntEncoding(3, 17, log);
      assertThat(e.decode(0)).isEqualTo(3L);
      assertThat(e.decode(1)).isEqualTo(17L);
      assertThat(e.decode(Math.nextDown(1.0))).isEqualTo(17L);
      assertThat(e.decode(-0.1)).isEqualTo(3L);
      assertThat(e.decode(1.1)).isEqualTo(17L);
    }
  }

  @Test
  void encodingAValueGivesACoordinateThatDecodesToIt() {
    for (boolean log : new boolean[] {false, true}) {
      IntEncoding e = new IntEncoding(1, 64, log);
      for (long v = 1; v <= 64; v++) {
        double u = e.encode(v);
        assertThat(u).isBetween(0.0, 1.0);
        assertThat(e.decode(u)).isEqualTo(v);
      }
    }
    assertThat(new IntEncoding(1, 8, false).encode(1)).isCloseTo(1 / 16.0, within(1e-15));
    assertThat(new IntEncoding(5, 5, false).decode(0.7)).isEqualTo(5L);
  }

  @Test
  void valuesAreLongsAndNegativeRangesWork() {
    IntEncoding e = new IntEncoding(-3, 2, false);
    assertThat(e.decode(0.0)).isInstanceOf(Long.class).isEqualTo(-3L);
    assertThat(e.decode(0.5)).isEqualTo(0L);
    assertThat(e.encode(Integer.valueOf(-3))).isCloseTo(1 / 12.0, within(1e-15));
  }
}
