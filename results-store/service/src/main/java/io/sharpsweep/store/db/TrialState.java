package io.sharpsweep.store.db;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a trial stands, as stored in {@code trials.state}. */
public enum TrialState {
  RUNNING,
  /**
   * Waiting at a rung of a multi-fidelity schedule: its segment ended and it was not promoted
   * (yet).
   */
  PARKED,
  COMPLETED,
  FAILED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TrialState fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
