package io.sharpsweep.protocol.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What happens to a trial whose segment ended: promoted to the next rung (a new segment from its
 * checkpoint), parked until more results arrive, complete, or failed (the scheduler retries up to the
 * study's attempts). {@code metrics} and {@code cost} are the trial's at {@code epoch}, so the scheduler
 * can feed the sampler without a query.
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
    String reason)
    implements DecisionMessage {

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
