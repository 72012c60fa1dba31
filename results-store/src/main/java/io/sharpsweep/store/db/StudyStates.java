package io.sharpsweep.store.db;

/**
 * The values of {@code studies.state}: the wire names of the protocol's study states, plus {@code
 * unknown} for a study the store knows only from reports or trial events that overtook its {@code
 * study-created} event.
 */
public final class StudyStates {
  public static final String UNKNOWN = "unknown";
  public static final String RUNNING = "running";

  private StudyStates() {}
}
