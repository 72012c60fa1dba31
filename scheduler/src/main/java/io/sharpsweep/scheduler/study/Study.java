package io.sharpsweep.scheduler.study;

import io.sharpsweep.protocol.messages.StudyStateChanged.State;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.suggest.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's view of one study: which trials are in flight, what has been observed, how much budget is
 * left. Not thread-safe; {@link StudyCoordinator} serialises access per study.
 */
public final class Study {
  private final String id;
  private final StudySpec spec;
  private final long createdAt;
  private final Map<String, TrialState> inFlight = new LinkedHashMap<>();
  private final List<Observation> observations = new ArrayList<>();
  private int created;
  private int completed;
  private int failed;
  private State state = State.RUNNING;
  private String reason;

  Study(String id, StudySpec spec, long createdAt) {
    this.id = id;
    this.spec = spec;
    this.createdAt = createdAt;
  }

  public String id() {
    return id;
  }

  public StudySpec spec() {
    return spec;
  }

  public long createdAt() {
    return createdAt;
  }

  public State state() {
    return state;
  }

  public String reason() {
    return reason;
  }

  public int created() {
    return created;
  }

  public int completed() {
    return completed;
  }

  public int failed() {
    return failed;
  }

  public int running() {
    return inFlight.size();
  }

  Map<String, TrialState> inFlight() {
    return inFlight;
  }

  List<Observation> observations() {
    return observations;
  }

  /** How many new trials may start now: free slots, bounded by the trials left in the budget. */
  int freeSlots() {
    if (state != State.RUNNING) {
      return 0;
    }
    int slots = spec.budget().parallelism() - inFlight.size();
    int left = spec.budget().trials() - created;
    return Math.max(0, Math.min(slots, left));
  }

  boolean budgetSpent() {
    return completed + failed >= spec.budget().trials();
  }

  int nextNumber() {
    return created++;
  }

  void markCompleted() {
    completed++;
  }

  void markFailed() {
    failed++;
  }

  void end(State state, String reason) {
    this.state = state;
    this.reason = reason;
  }

  /** A trial being trained now. */
  public record TrialState(String trialId, int number, Map<String, Object> params, Map<String, Object> config, long seed, int attempt) {
    TrialState nextAttempt() {
      return new TrialState(trialId, number, params, config, seed, attempt + 1);
    }
  }
}
