package io.sharpsweep.protocol;

/**
 * The Kafka topics between the services, named once here. Segments are not on Kafka: workers lease
 * them from the results-store ({@link io.sharpsweep.protocol.control.ControlPaths}).
 */
public final class Topics {
  /** workers → results-store, keyed by trialId: epoch reports and trial failures. */
  public static final String REPORTS = "sharpsweep.reports";

  /** results-store → scheduler, keyed by studyId: rung decisions and study progress. */
  public static final String DECISIONS = "sharpsweep.decisions";

  /**
   * any consumer → operators, keyed by the original key: the raw bytes, the source topic, the
   * error.
   */
  public static final String DEAD_LETTER = "sharpsweep.dead-letter";

  private Topics() {}
}
