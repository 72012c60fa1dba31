package io.sharpsweep.store.db;

import java.time.Instant;

/**
 * A row of {@code studies}; {@code name} and {@code spec} (JSON) are null for a placeholder (a
 * study known only from reports that overtook its creation). {@code trialsCreated} is the next
 * trial number. {@code paused}: no segment of it is leased and no trial created until it is
 * resumed. {@code specAtCreation}: the spec it was created with when an extension changed {@code
 * spec} since, else null.
 */
public record StudyRow(
    String id,
    String name,
    String spec,
    String state,
    String reason,
    Instant createdAt,
    Instant updatedAt,
    int trialsCreated,
    boolean paused,
    String specAtCreation) {

  /** The spec a repeated create must match: the one the study was created with. */
  public String createdSpec() {
    return specAtCreation != null ? specAtCreation : spec;
  }
}
