package io.sharpsweep.sampler.space;

/**
 * An integer in {@code [low, high]}.
 *
 * <p>Linear scale: the unit interval is cut into {@code n = high - low + 1} equal bins, one per
 * integer, so every integer is equally likely under a uniform coordinate. Log scale: the coordinate
 * is uniform in {@code ln x} over {@code [low - 0.5, high + 0.5]} and {@code x} is rounded to the
 * nearest integer, so integer {@code k} has probability {@code ln((k + 0.5) / (k - 0.5)) / ln((high
 * + 0.5) / (low - 0.5))} (Optuna's {@code IntDistribution(log=True)} does the same). Integers are
 * emitted as {@link Long}.
 */
public record IntEncoding(long low, long high, boolean log) implements ParamEncoding {

  @Override
  public Long decode(double u) {
    u = ParamEncoding.clampUnit(u);
    long value;
    if (log) {
      double a = Math.log(low - 0.5);
      double b = Math.log(high + 0.5);
      value = Math.round(Math.exp(a + u * (b - a)));
    } else {
      double n = (double) high - low + 1;
      value = low + (long) Math.floor(u * n);
    }
    return Math.max(low, Math.min(high, value));
  }

  @Override
  public double encode(Object value) {
    long v = ((Number) value).longValue();
    double u;
    if (log) {
      double a = Math.log(low - 0.5);
      u = (Math.log(v) - a) / (Math.log(high + 0.5) - a);
    } else {
      u = ((double) v - low + 0.5) / ((double) high - low + 1);
    }
    return ParamEncoding.clampUnit(u);
  }

  /**
   * The cell of value {@code v} in the unit interval, {@code {from, to}}: the coordinates that
   * {@link #decode} maps to {@code v}. Cells tile {@code [0, 1]}; on the log scale they are equal
   * in {@code ln x}, not in {@code x}.
   */
  public double[] cell(long v) {
    if (log) {
      double a = Math.log(low - 0.5);
      double width = Math.log(high + 0.5) - a;
      double from = v == low ? 0 : (Math.log(v - 0.5) - a) / width;
      double to = v == high ? 1 : (Math.log(v + 0.5) - a) / width;
      return new double[] {from, to};
    }
    double n = (double) high - low + 1;
    return new double[] {(v - low) / n, (v - low + 1) / n};
  }

  /** Number of integers in the range. */
  public long size() {
    return high - low + 1;
  }
}
