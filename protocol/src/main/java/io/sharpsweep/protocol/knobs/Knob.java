package io.sharpsweep.protocol.knobs;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One training knob: its name in study specs, trial configurations and CLI options, the values it
 * takes, its default and the variants that read it.
 *
 * @param name the key in {@code fixed}, {@code space[].name} and a trial's configuration
 * @param type what values it takes
 * @param range the allowed numbers of a {@code float} or {@code int} knob; null for the others
 * @param choices the allowed values of a {@code categorical} knob; empty for the others
 * @param defaultValue the value a variant uses when the configuration does not set the knob ({@code
 *     Double}, {@code Integer}, {@code Boolean} or {@code String} by type)
 * @param variantDefaults defaults that differ by variant (variant name → value), on top of {@code
 *     defaultValue}
 * @param variants the variants that read the knob; every other variant ignores it
 * @param description what the knob does, in a few words
 */
public record Knob(
    String name,
    KnobType type,
    KnobRange range,
    List<String> choices,
    Object defaultValue,
    Map<String, Object> variantDefaults,
    List<String> variants,
    String description) {

  public Knob(
      String name,
      KnobType type,
      KnobRange range,
      List<String> choices,
      Object defaultValue,
      Map<String, Object> variantDefaults,
      List<String> variants,
      String description) {
    this.name = name;
    this.type = type;
    this.range = range;
    this.choices = List.copyOf(choices);
    this.defaultValue = defaultValue;
    this.variantDefaults = Map.copyOf(variantDefaults);
    this.variants = List.copyOf(variants);
    this.description = description;
    if ((type == KnobType.FLOAT || type == KnobType.INT) != (range != null)) {
      throw new IllegalArgumentException(name + ": a range belongs to float and int knobs");
    }
    if ((type == KnobType.CATEGORICAL) == choices.isEmpty()) {
      throw new IllegalArgumentException(name + ": choices belong to categorical knobs");
    }
    if (problem(defaultValue) != null) {
      throw new IllegalArgumentException(name + ": the default " + problem(defaultValue));
    }
    for (Object d : variantDefaults.values()) {
      if (problem(d) != null) {
        throw new IllegalArgumentException(name + ": a variant's default " + problem(d));
      }
    }
  }

  /**
   * The default {@code variant} uses ({@code rho} is 0.5 for {@code asam}, 0.05 otherwise); {@link
   * #defaultValue} for a null variant.
   */
  public Object defaultFor(String variant) {
    return variant == null ? defaultValue : variantDefaults.getOrDefault(variant, defaultValue);
  }

  /** {@link #defaultFor} of a {@code float} or {@code int} knob as a double. */
  public double defaultNumber(String variant) {
    return ((Number) defaultFor(variant)).doubleValue();
  }

  /** Whether {@code variant} reads this knob. */
  public boolean usedBy(String variant) {
    return variants.contains(variant);
  }

  /**
   * Why {@code value} is not a legal value of this knob, as the end of an error message ({@code
   * must be in (0, 1], got 2}); null if it is legal.
   */
  public String problem(Object value) {
    if (value == null) {
      return "must have a value";
    }
    return switch (type) {
      case FLOAT -> {
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
          yield "must be a number, got " + describe(value);
        }
        yield range.contains(n.doubleValue())
            ? null
            : "must be in " + range + ", got " + describe(value);
      }
      case INT -> {
        if (!isIntegral(value)) {
          yield "must be an integer, got " + describe(value);
        }
        yield range.contains(((Number) value).doubleValue())
            ? null
            : "must be in " + range + ", got " + describe(value);
      }
      case BOOL ->
          value instanceof Boolean ? null : "must be true or false, got " + describe(value);
      case CATEGORICAL ->
          value instanceof String s && choices.contains(s)
              ? null
              : "unknown " + name + " '" + value + "': one of " + choices;
    };
  }

  /** The allowed values as a short text: {@code (0, 1]}, {@code true, false}, the choices. */
  public String rangeText() {
    return switch (type) {
      case FLOAT, INT -> range.toString();
      case BOOL -> "true, false";
      case CATEGORICAL -> String.join(", ", choices);
    };
  }

  /** The default as a short text, with the variants that differ: {@code 0.05 (asam: 0.5)}. */
  public String defaultText() {
    StringBuilder b =
        new StringBuilder(defaultValue instanceof String s ? s : describe(defaultValue));
    if (!variantDefaults.isEmpty()) {
      StringJoiner j = new StringJoiner("; ", " (", ")");
      variants.stream()
          .filter(variantDefaults::containsKey)
          .forEach(v -> j.add(v + ": " + describe(variantDefaults.get(v))));
      b.append(j);
    }
    return b.toString();
  }

  /** Whether {@code value} is a whole number (an integer type, or a double without a fraction). */
  public static boolean isIntegral(Object value) {
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof java.math.BigInteger) {
      return true;
    }
    return value instanceof Number n
        && Double.isFinite(n.doubleValue())
        && n.doubleValue() == Math.rint(n.doubleValue());
  }

  /** A value as an error shows it: numbers as written ({@code 2}, {@code 0.5}), strings quoted. */
  public static String describe(Object value) {
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    if (value instanceof Double || value instanceof Float) {
      return KnobRange.format(((Number) value).doubleValue());
    }
    return String.valueOf(value);
  }
}
