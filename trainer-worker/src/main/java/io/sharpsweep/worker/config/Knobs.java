package io.sharpsweep.worker.config;

import io.sharpsweep.protocol.study.TrainingCatalog;
import java.util.Map;
import java.util.TreeSet;

/**
 * Typed, validated access to a trial's configuration map ({@code SegmentAssignment.config}); every
 * error names the knob as {@code config.<name>} and the rule it breaks.
 */
public final class Knobs {
  private final Map<String, Object> values;

  public Knobs(Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  /**
   * Rejects a key that is not a training knob of {@code TrainingCatalog.KNOBS} (a typo would
   * otherwise train silently with the default). Knobs of other variants are allowed: a study may
   * sample {@code rho} for every variant.
   */
  public void rejectUnknown() {
    for (String name : new TreeSet<>(values.keySet())) {
      if (!TrainingCatalog.KNOBS.containsKey(name)) {
        throw new InvalidConfigException(
            "config."
                + name
                + " is not a training knob (known: "
                + new TreeSet<>(TrainingCatalog.KNOBS.keySet())
                + ")");
      }
    }
  }

  /** Whether the configuration sets {@code name}. */
  public boolean has(String name) {
    return values.get(name) != null;
  }

  public String string(String name, String defaultValue) {
    Object v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw new InvalidConfigException(
          "config." + name + " must be a non-empty string, got " + describe(v));
    }
    return s.trim();
  }

  /**
   * A finite number in {@code [min, max]} ({@code minInclusive} decides whether {@code min} itself
   * is allowed).
   */
  public double number(
      String name, double defaultValue, double min, boolean minInclusive, double max) {
    Object v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new InvalidConfigException("config." + name + " must be a number, got " + describe(v));
    }
    double d = n.doubleValue();
    boolean aboveMin = minInclusive ? d >= min : d > min;
    if (!aboveMin || d > max) {
      throw new InvalidConfigException(
          "config."
              + name
              + " must be in "
              + (minInclusive ? "[" : "(")
              + min
              + ", "
              + max
              + "], got "
              + d);
    }
    return d;
  }

  public int integer(String name, int defaultValue, int min, int max) {
    Object v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    boolean integral =
        v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
    if (!integral && v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      integral = true; // 128.0 from a JSON producer that writes all numbers as doubles
    }
    if (!integral) {
      throw new InvalidConfigException(
          "config." + name + " must be an integer, got " + describe(v));
    }
    long l = ((Number) v).longValue();
    if (l < min || l > max) {
      throw new InvalidConfigException(
          "config." + name + " must be in [" + min + ", " + max + "], got " + l);
    }
    return (int) l;
  }

  public boolean bool(String name, boolean defaultValue) {
    Object v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new InvalidConfigException(
        "config." + name + " must be true or false, got " + describe(v));
  }

  private static String describe(Object v) {
    return v instanceof String ? "\"" + v + "\"" : v + " (" + v.getClass().getSimpleName() + ")";
  }
}
