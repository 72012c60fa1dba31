package io.sharpsweep.protocol.knobs;

import java.util.Locale;

/** What values a training knob takes. */
public enum KnobType {
  /** A finite number in the knob's range. */
  FLOAT,
  /** A whole number in the knob's range. */
  INT,
  /** {@code true} or {@code false}. */
  BOOL,
  /** One of the knob's choices (a string). */
  CATEGORICAL;

  /** The lower-case name used in the README and the CLI ({@code float}, {@code int}, …). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
