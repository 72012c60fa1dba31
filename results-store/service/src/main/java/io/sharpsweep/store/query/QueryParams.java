package io.sharpsweep.store.query;

import io.sharpsweep.protocol.ValidationException;

/** Parsing of numeric query parameters, with errors that name the parameter and the rule. */
final class QueryParams {
  private QueryParams() {}

  /** A finite number, or null when absent or blank. */
  static Double number(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    double v;
    try {
      v = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new ValidationException(name, "must be a number, got '" + value + "'");
    }
    if (!Double.isFinite(v)) {
      throw new ValidationException(name, "must be a finite number, got '" + value + "'");
    }
    return v;
  }

  /** A finite number at least 0, or null when absent or blank. */
  static Double nonNegative(String name, String value) {
    Double v = number(name, value);
    if (v != null && v < 0) {
      throw new ValidationException(name, "must be at least 0, got " + value.trim());
    }
    return v;
  }
}
