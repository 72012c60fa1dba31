package io.sharpsweep.protocol.space;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kind of a search-space parameter. */
public enum ParamType {
  FLOAT,
  INT,
  CATEGORICAL;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ParamType fromWire(String value) {
    if (value == null) {
      return null;
    }
    for (ParamType t : values()) {
      if (t.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown parameter type '" + value + "' (expected float, int or categorical)");
  }
}
