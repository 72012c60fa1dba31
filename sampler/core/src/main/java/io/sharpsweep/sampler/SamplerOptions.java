package io.sharpsweep.sampler;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.space.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code sampler.options} of a request, read with typed getters that fall back to a default and
 * record a {@link FieldError} on {@code sampler.options.<key>} for a value of the wrong type or
 * range. Keys that no getter asked for are errors too (a misspelt option must not be silently
 * ignored).
 */
public final class SamplerOptions {
  private static final String PREFIX = "sampler.options.";

  private final Map<String, Object> raw;
  private final Set<String> read = new TreeSet<>();
  private final Set<String> readSpellings = new TreeSet<>();
  private final List<FieldError> errors = new ArrayList<>();

  public SamplerOptions(Map<String, Object> raw) {
    this.raw = raw == null ? Map.of() : raw;
  }

  public static SamplerOptions none() {
    return new SamplerOptions(Map.of());
  }

  public boolean bool(String key, boolean fallback) {
    Object v = get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    return reject(key, "must be true or false, got " + describe(v), fallback);
  }

  /** An integer option in {@code [min, max]}. */
  public int integer(String key, int fallback, int min, int max) {
    Object v = get(key);
    if (v == null) {
      return fallback;
    }
    if (!Values.isIntegral(v)) {
      return reject(key, "must be an integer, got " + describe(v), fallback);
    }
    double d = ((Number) v).doubleValue();
    if (d < min || d > max) {
      return reject(key, "must be in [" + min + ", " + max + "], got " + v, fallback);
    }
    return (int) d;
  }

  /** A finite number option in {@code [min, max]}. */
  public double number(String key, double fallback, double min, double max) {
    Object v = get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      return reject(key, "must be a finite number, got " + describe(v), fallback);
    }
    if (n.doubleValue() < min || n.doubleValue() > max) {
      return reject(key, "must be in [" + min + ", " + max + "], got " + v, fallback);
    }
    return n.doubleValue();
  }

  /** A string option, one of {@code allowed}. */
  public String choice(String key, String fallback, Set<String> allowed) {
    Object v = get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s) || !allowed.contains(s)) {
      return reject(
          key, "must be one of " + new TreeSet<>(allowed) + ", got " + describe(v), fallback);
    }
    return s;
  }

  /** Every problem found so far, plus one per option no getter asked for, naming the sampler. */
  public List<FieldError> errors(String samplerType) {
    List<FieldError> all = new ArrayList<>(errors);
    for (String key : new TreeSet<>(raw.keySet())) {
      if (!readSpellings.contains(key)) {
        String known = read.isEmpty() ? "it takes no options" : "its options are " + read;
        all.add(
            new FieldError(
                PREFIX + key, "is not an option of sampler '" + samplerType + "' (" + known + ")"));
      }
    }
    return all;
  }

  /**
   * The value of {@code key}. A snake_case key ({@code n_startup_trials}, Optuna's spelling) may
   * also be given in camelCase ({@code nStartupTrials}, the spelling of SharpSweep's study files);
   * giving both is an error.
   */
  private Object get(String key) {
    read.add(key);
    readSpellings.add(key);
    String camel = camelCase(key);
    if (camel.equals(key)) {
      return raw.get(key);
    }
    readSpellings.add(camel);
    if (raw.containsKey(key) && raw.containsKey(camel)) {
      errors.add(
          new FieldError(PREFIX + camel, "is the same option as '" + key + "': give only one"));
      return null;
    }
    return raw.containsKey(camel) ? raw.get(camel) : raw.get(key);
  }

  static String camelCase(String key) {
    StringBuilder b = new StringBuilder(key.length());
    boolean upper = false;
    for (char c : key.toCharArray()) {
      if (c == '_') {
        upper = b.length() > 0;
      } else {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return b.toString();
  }

  private <T> T reject(String key, String message, T fallback) {
    // Name the option as the request spelt it.
    String spelt = raw.containsKey(key) ? key : camelCase(key);
    errors.add(new FieldError(PREFIX + spelt, message));
    return fallback;
  }

  private static String describe(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }
}
