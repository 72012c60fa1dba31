package io.sharpsweep.protocol.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What happens to a trial whose segment ended: promoted to the next rung (a new segment from its
 * checkpoint), parked until more results arrive, complete, or failed (the scheduler retries up to
 * the study's attempts). {@code metrics} and {@code cost} are the trial's at {@code epoch}, so the
 * scheduler can feed the sampler without a query.
 *
 * <p>A {@code promote} says: train {@code trialId} (same {@code attempt}) from {@code epoch} to
 * {@code toEpoch}, starting from {@code checkpointUri}. It may concern another trial than the one
 * whose report triggered it (a parked trial resumed); the store publishes a report's promotions
 * before the decision about the reporting trial itself. {@code toEpoch} is null for every other
 * action.
 */
public record RungDecision(
    int schemaVersion,
    String studyId,
    String trialId,
    int attempt,
    int rung,
    int epoch,
    Action action,
    Metrics metrics,
    Cost cost,
    String checkpointUri,
    String reason,
    Integer toEpoch)
    implements DecisionMessage {

  /**
   * A decision without a next segment (anything but {@code promote}); the constructor of schema 1's
   * first fields.
   */
  public RungDecision(
      int schemaVersion,
      String studyId,
      String trialId,
      int attempt,
      int rung,
      int epoch,
      Action action,
      Metrics metrics,
      Cost cost,
      String checkpointUri,
      String reason) {
    this(
        schemaVersion,
        studyId,
        trialId,
        attempt,
        rung,
        epoch,
        action,
        metrics,
        cost,
        checkpointUri,
        reason,
        null);
  }

  public enum Action {
    PROMOTE,
    PARK,
    COMPLETE,
    FAILED;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Action fromWire(String v) {
      return v == null ? null : valueOf(v.trim().toUpperCase(Locale.ROOT));
    }
  }
}
