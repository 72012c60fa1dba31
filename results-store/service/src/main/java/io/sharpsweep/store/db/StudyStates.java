package io.sharpsweep.store.db;

/**
 * The values of {@code studies.state}: the wire names of the protocol's study states, plus {@code
 * unknown} for a study the store knows only from reports or trial events that overtook its {@code
 * study-created} event.
 */
public final class StudyStates {
  public static final String UNKNOWN = "unknown";
  public static final String RUNNING = "running";

  /** How a running study that is paused is shown; {@code studies.state} stays {@code running}. */
  public static final String PAUSED = "paused";

  /** The state the APIs show: {@code paused} for a paused running study, else its state. */
  public static String shown(StudyRow row) {
    return row.paused() && RUNNING.equals(row.state()) ? PAUSED : row.state();
  }

  private StudyStates() {}
}
