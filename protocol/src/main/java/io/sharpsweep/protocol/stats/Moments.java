package io.sharpsweep.protocol.stats;

import java.util.Arrays;

/** The mean and the sample standard deviation of a set of values, shared by the services. */
public final class Moments {
  private Moments() {}

  /** The arithmetic mean (NaN for no values). */
  public static double mean(double[] values) {
    return Arrays.stream(values).sum() / values.length;
  }

  /**
   * The sample standard deviation around {@code mean} (divisor n − 1); 0 for fewer than two values.
   */
  public static double sampleStd(double[] values, double mean) {
    int n = values.length;
    double ss = 0;
    for (double x : values) {
      ss += (x - mean) * (x - mean);
    }
    return n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  }
}
