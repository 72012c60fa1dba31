package io.sharpsweep.store.db;

import io.sharpsweep.protocol.messages.RungDecision;
import java.time.Instant;

/**
 * A row of {@code decisions}; {@code nextEpoch} is the end of a promotion's next segment (null
 * otherwise), {@code publishedAt} is null until the broker acknowledged the decision record.
 */
public record DecisionRow(
    long id,
    String studyId,
    String trialId,
    int attempt,
    int epoch,
    int rung,
    RungDecision.Action action,
    String reason,
    Integer nextEpoch,
    Instant createdAt,
    Instant publishedAt) {

  public boolean published() {
    return publishedAt != null;
  }
}
