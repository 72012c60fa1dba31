package io.sharpsweep.protocol;

/** The Kafka topics between the services, named once here (DESIGN.md §2). */
public final class Topics {
  /**
   * scheduler → workers, keyed by trialId: {@link
   * io.sharpsweep.protocol.messages.SegmentAssignment}.
   */
  public static final String ASSIGNMENTS = "sharpsweep.assignments";

  /** workers → results-store, keyed by trialId: epoch reports and trial failures. */
  public static final String REPORTS = "sharpsweep.reports";

  /**
   * scheduler → results-store, keyed by studyId: study created, trial created (with its
   * configuration), study state changed. Not in the first DESIGN.md table: the store needs the spec
   * and the configurations without a REST call back to the scheduler.
   */
  public static final String STUDIES = "sharpsweep.studies";

  /** results-store → scheduler, keyed by studyId: rung decisions and study progress. */
  public static final String DECISIONS = "sharpsweep.decisions";

  /**
   * any consumer → operators, keyed by the original key: the raw bytes, the source topic, the
   * error.
   */
  public static final String DEAD_LETTER = "sharpsweep.dead-letter";

  /**
   * Partitions of the assignments topic: more than the largest worker pool, so that parallelism is
   * set by the number of workers alone.
   */
  public static final int ASSIGNMENT_PARTITIONS = 64;

  private Topics() {}
}
