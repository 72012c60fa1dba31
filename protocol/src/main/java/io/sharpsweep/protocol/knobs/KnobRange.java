package io.sharpsweep.protocol.knobs;

import java.math.BigDecimal;

/**
 * An interval of numbers with each end open or closed, written as in mathematics: {@code (0, 1]}
 * holds every x with {@code 0 < x ≤ 1}.
 */
public record KnobRange(double min, boolean minInclusive, double max, boolean maxInclusive) {
  public KnobRange {
    if (!(min <= max) || Double.isNaN(min) || Double.isNaN(max)) {
      throw new IllegalArgumentException("empty range " + min + ".." + max);
    }
  }

  /** {@code [min, max]}. */
  public static KnobRange closed(double min, double max) {
    return new KnobRange(min, true, max, true);
  }

  /** {@code (min, max]}. */
  public static KnobRange openClosed(double min, double max) {
    return new KnobRange(min, false, max, true);
  }

  /** {@code [min, max)}. */
  public static KnobRange closedOpen(double min, double max) {
    return new KnobRange(min, true, max, false);
  }

  /** Whether {@code x} lies in the interval (NaN never does). */
  public boolean contains(double x) {
    boolean aboveMin = minInclusive ? x >= min : x > min;
    boolean belowMax = maxInclusive ? x <= max : x < max;
    return aboveMin && belowMax;
  }

  /** The interval as written in errors, the CLI and the README: {@code (0, 1]}. */
  @Override
  public String toString() {
    return (minInclusive ? "[" : "(")
        + format(min)
        + ", "
        + format(max)
        + (maxInclusive ? "]" : ")");
  }

  /**
   * A number as a person writes it: no trailing zeros, no exponent ({@code 2}, {@code 0.5}, {@code
   * 0.0005}, {@code 1000000}).
   */
  public static String format(double x) {
    if (!Double.isFinite(x)) {
      return Double.toString(x);
    }
    if (x == 0) {
      return "0";
    }
    return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }
}
