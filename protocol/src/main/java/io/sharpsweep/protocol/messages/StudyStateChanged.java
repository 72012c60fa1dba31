package io.sharpsweep.protocol.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A study's lifecycle moved: running, completed (budget spent), cancelled, failed. */
public record StudyStateChanged(
    int schemaVersion, String studyId, State state, String reason, long at) implements StudyEvent {

  public enum State {
    RUNNING,
    COMPLETED,
    CANCELLED,
    FAILED;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static State fromWire(String v) {
      return v == null ? null : valueOf(v.trim().toUpperCase(Locale.ROOT));
    }

    public boolean isTerminal() {
      return this != RUNNING;
    }
  }
}
