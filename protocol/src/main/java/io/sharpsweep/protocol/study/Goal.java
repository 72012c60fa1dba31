package io.sharpsweep.protocol.study;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Direction of an objective. */
public enum Goal {
  MAXIMIZE,
  MINIMIZE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Goal fromWire(String value) {
    if (value == null) {
      return null;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "maximize", "max" -> MAXIMIZE;
      case "minimize", "min" -> MINIMIZE;
      default ->
          throw new IllegalArgumentException(
              "unknown goal '" + value + "' (expected maximize or minimize)");
    };
  }

  /** Whether {@code a} is strictly better than {@code b} under this goal. */
  public boolean better(double a, double b) {
    return this == MAXIMIZE ? a > b : a < b;
  }
}
