package io.sharpsweep.worker.config;

import io.sharpsweep.protocol.knobs.Knob;
import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.protocol.knobs.KnobRange;
import io.sharpsweep.protocol.knobs.KnobType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Typed, validated access to a trial's configuration map ({@code SegmentAssignment.config}); every
 * error names the knob as {@code config.<name>} and the rule it breaks. Defaults and ranges come
 * from {@link KnobCatalogue}, the same catalogue the study validator checks against.
 */
public final class Knobs {
  private final Map<String, Object> values;
  private final Map<String, Object> read = new LinkedHashMap<>();

  public Knobs(Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  /**
   * Rejects a key that is not a training knob of {@link KnobCatalogue} (a typo would otherwise
   * train silently with the default). Knobs of other variants are allowed: a study may sample
   * {@code rho} for every variant.
   */
  public void rejectUnknown() {
    for (String name : new TreeSet<>(values.keySet())) {
      if (!KnobCatalogue.isKnob(name)) {
        throw new InvalidConfigException(
            "config."
                + name
                + " is not a training knob (known: "
                + new TreeSet<>(KnobCatalogue.names())
                + ")");
      }
    }
  }

  /** Whether the configuration sets {@code name}. */
  public boolean has(String name) {
    return values.get(name) != null;
  }

  /**
   * The knobs read so far with the value each one was given (the configuration's, or the default
   * for the variant): what a variant actually reads, for tests that compare it with the catalogue.
   */
  public Map<String, Object> read() {
    return Collections.unmodifiableMap(read);
  }

  /**
   * A {@code categorical} knob, with its catalogue default; its value must be a non-empty string.
   */
  public String string(Knob knob) {
    requireType(knob, KnobType.CATEGORICAL);
    return remember(knob, string(knob.name(), (String) knob.defaultValue()));
  }

  /** A {@code float} knob with its catalogue default and range. */
  public double number(Knob knob) {
    return number(knob, null);
  }

  /**
   * A {@code float} knob with the catalogue's default for {@code variant} ({@code rho} differs by
   * variant) and its range.
   */
  public double number(Knob knob, String variant) {
    requireType(knob, KnobType.FLOAT);
    KnobRange r = knob.range();
    return remember(
        knob,
        number(
            knob.name(),
            knob.defaultNumber(variant),
            r.min(),
            r.minInclusive(),
            r.max(),
            r.maxInclusive()));
  }

  /** An {@code int} knob with its catalogue default and range. */
  public int integer(Knob knob) {
    requireType(knob, KnobType.INT);
    KnobRange r = knob.range();
    int min = (int) (r.minInclusive() ? Math.ceil(r.min()) : Math.floor(r.min()) + 1);
    int max = (int) (r.maxInclusive() ? Math.floor(r.max()) : Math.ceil(r.max()) - 1);
    return remember(knob, integer(knob.name(), (int) knob.defaultNumber(null), min, max));
  }

  /** A {@code bool} knob with its catalogue default. */
  public boolean bool(Knob knob) {
    requireType(knob, KnobType.BOOL);
    return remember(knob, bool(knob.name(), (Boolean) knob.defaultValue()));
  }

  private <T> T remember(Knob knob, T value) {
    read.put(knob.name(), value);
    return value;
  }

  private static void requireType(Knob knob, KnobType type) {
    if (knob.type() != type) {
      throw new IllegalArgumentException(
          "knob " + knob.name() + " is " + knob.type().wireName() + ", not " + type.wireName());
    }
  }

  private String string(String name, String defaultValue) {
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
   * A finite number between {@code min} and {@code max} ({@code minInclusive} and {@code
   * maxInclusive} decide whether the bounds themselves are allowed).
   */
  private double number(
      String name,
      double defaultValue,
      double min,
      boolean minInclusive,
      double max,
      boolean maxInclusive) {
    Object v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new InvalidConfigException("config." + name + " must be a number, got " + describe(v));
    }
    double d = n.doubleValue();
    boolean aboveMin = minInclusive ? d >= min : d > min;
    boolean belowMax = maxInclusive ? d <= max : d < max;
    if (!aboveMin || !belowMax) {
      throw new InvalidConfigException(
          "config."
              + name
              + " must be in "
              + (minInclusive ? "[" : "(")
              + min
              + ", "
              + max
              + (maxInclusive ? "]" : ")")
              + ", got "
              + d);
    }
    return d;
  }

  private int integer(String name, int defaultValue, int min, int max) {
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

  private boolean bool(String name, boolean defaultValue) {
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
