package io.sharpsweep.scheduler.study;

import io.sharpsweep.protocol.messages.StudyStateChanged.State;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.suggest.Observation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The scheduler's view of one study: its trials, the segments in flight, the promotions waiting for
 * a slot, the trials parked at a rung, what has been observed at each rung, how much budget is
 * left. Not thread-safe; {@link StudyCoordinator} serialises access per study.
 */
public final class Study {
  private final String id;
  private final StudySpec spec;
  private final FidelityLadder ladder;
  private final long createdAt;
  private final Map<String, TrialState> trials = new LinkedHashMap<>();
  private final Map<String, Segment> inFlight = new LinkedHashMap<>();
  private final PriorityQueue<Segment> waiting =
      new PriorityQueue<>(
          Comparator.comparingInt(Segment::rung).reversed().thenComparingLong(Segment::order));
  private final Map<String, Integer> parked = new LinkedHashMap<>();
  private final List<Map<String, Observation>> observations = new ArrayList<>();
  private final Set<String> applied = new HashSet<>();
  private long order;
  private int created;
  private int completed;
  private int failed;
  private State state = State.RUNNING;
  private String reason;

  Study(String id, StudySpec spec, long createdAt) {
    this.id = id;
    this.spec = spec;
    this.ladder = FidelityLadder.of(spec);
    this.createdAt = createdAt;
    for (int k = 0; k < ladder.rungCount(); k++) {
      observations.add(new LinkedHashMap<>());
    }
  }

  public String id() {
    return id;
  }

  public StudySpec spec() {
    return spec;
  }

  public FidelityLadder ladder() {
    return ladder;
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

  /** Segments being trained now. */
  public int running() {
    return inFlight.size();
  }

  /** Trials waiting at a rung (not promoted, or not yet). */
  public int parked() {
    return parked.size();
  }

  /** Promotions decided and waiting for a free slot. */
  public int waiting() {
    return waiting.size();
  }

  Map<String, TrialState> trials() {
    return trials;
  }

  Map<String, Segment> inFlight() {
    return inFlight;
  }

  PriorityQueue<Segment> waitingPromotions() {
    return waiting;
  }

  Map<String, Integer> parkedTrials() {
    return parked;
  }

  /** Observations per rung, one per trial (the decisions' metrics and cost at that rung). */
  List<Map<String, Observation>> observations() {
    return observations;
  }

  /** Whether a decision (by its key) is new; at-least-once delivery repeats them. */
  boolean firstTime(String decisionKey) {
    return applied.add(decisionKey);
  }

  long nextOrder() {
    return ++order;
  }

  /**
   * How many new configurations may start now: slots left after running and waiting segments,
   * bounded by the budget.
   */
  int freeSlotsForNewTrials() {
    if (state != State.RUNNING) {
      return 0;
    }
    int slots = spec.budget().parallelism() - inFlight.size() - waiting.size();
    int left = spec.budget().trials() - created;
    return Math.max(0, Math.min(slots, left));
  }

  boolean hasFreeSlot() {
    return state == State.RUNNING && inFlight.size() < spec.budget().parallelism();
  }

  /**
   * Whether the study is over: every configuration of the budget was created, nothing is being
   * trained and nothing waits for a slot. The store decides a report's promotions before the
   * decision about the reporting trial, so when the last segment's decision arrives any promotion
   * it caused is already waiting here.
   */
  boolean finished() {
    return created >= spec.budget().trials() && inFlight.isEmpty() && waiting.isEmpty();
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

  /** A trial of the study: what it trains with. */
  public record TrialState(
      String trialId,
      int number,
      Map<String, Object> params,
      Map<String, Object> config,
      long seed) {}

  /**
   * A segment of a trial: attempt, epochs {@code (fromEpoch, toEpoch]} from {@code checkpointUri};
   * {@code rung} is the rung it was promoted from (-1 for a first segment), which orders waiting
   * promotions, highest first.
   */
  public record Segment(
      TrialState trial,
      int attempt,
      int fromEpoch,
      int toEpoch,
      String checkpointUri,
      int rung,
      long order) {
    Segment nextAttempt() {
      return new Segment(trial, attempt + 1, fromEpoch, toEpoch, checkpointUri, rung, order);
    }
  }
}
