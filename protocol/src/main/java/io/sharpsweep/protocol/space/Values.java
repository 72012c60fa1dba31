package io.sharpsweep.protocol.space;

/**
 * Comparison rules for parameter values as they arrive from JSON (numbers may be Integer, Long or
 * Double).
 */
public final class Values {
  private Values() {}

  /** Equal as parameter values: numbers by numeric value, everything else by {@code equals}. */
  public static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
    }
    return a != null && a.equals(b);
  }

  /** A number with no fractional part (an int parameter's value). */
  public static boolean isIntegral(Object value) {
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return true;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) && d == Math.rint(d);
    }
    return false;
  }
}
