package io.sharpsweep.store.service;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.store.StoreConfig;
import io.sharpsweep.store.control.Checkpoint;
import io.sharpsweep.store.control.ControlAction;
import io.sharpsweep.store.control.ControlAction.AwaitReport;
import io.sharpsweep.store.control.ControlAction.Close;
import io.sharpsweep.store.control.ControlAction.EndStudy;
import io.sharpsweep.store.control.ControlAction.Enqueue;
import io.sharpsweep.store.control.ControlAction.FailTrial;
import io.sharpsweep.store.control.ControlAction.Requeue;
import io.sharpsweep.store.control.ControlAction.RetryTrial;
import io.sharpsweep.store.control.ControlRules;
import io.sharpsweep.store.control.LeaseOutcome;
import io.sharpsweep.store.control.Promotion;
import io.sharpsweep.store.control.Segment;
import io.sharpsweep.store.control.StudyPolicy;
import io.sharpsweep.store.control.StudyView;
import io.sharpsweep.store.db.DecisionRepository;
import io.sharpsweep.store.db.LeaseHistoryRepository;
import io.sharpsweep.store.db.NewSegment;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.SegmentRepository;
import io.sharpsweep.store.db.SegmentRow;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.StudyStates;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.db.TrialState;
import io.sharpsweep.store.ingest.RungBookkeeping;
import io.sharpsweep.store.ingest.TrialStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The control plane's writes: loads what {@link ControlRules} need from the database, asks them,
 * and writes their actions (segments, lease history, trial and study states, failure decisions).
 * Every method runs in the caller's transaction, which holds the study's row lock ({@link Tx}).
 */
@Singleton
public class ControlPlane {
  private final StoreDatabase db;
  private final ControlSettings settings;
  private final StoreClock clock;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final SegmentRepository segments = new SegmentRepository();
  private final LeaseHistoryRepository history = new LeaseHistoryRepository();
  private final ReportRepository reports = new ReportRepository();
  private final DecisionRepository decisions = new DecisionRepository();
  private final RungBookkeeping rungs = new RungBookkeeping();

  @Inject
  ControlPlane(StoreDatabase db, StoreConfig config, StoreClock clock) {
    this(db, ControlSettings.of(config), clock);
  }

  public ControlPlane(StoreDatabase db, ControlSettings settings, StoreClock clock) {
    this.db = db;
    this.settings = settings;
    this.clock = clock;
  }

  public StoreDatabase db() {
    return db;
  }

  public ControlSettings settings() {
    return settings;
  }

  public Instant now() {
    return clock.now();
  }

  /**
   * One transaction's context: its connection, the locked study (with a spec), the time. {@code
   * studyCurrent}: whether {@code study}'s state and trials created are as stored now (the caller
   * read the row under its lock and wrote neither since), so that {@link #completion} need not read
   * the row again.
   */
  public record Tx(
      Connection c,
      StudyRow study,
      StudySpec spec,
      ControlRules rules,
      Instant now,
      boolean studyCurrent) {
    public Tx(Connection c, StudyRow study, StudySpec spec, ControlRules rules, Instant now) {
      this(c, study, spec, rules, now, false);
    }

    public String studyId() {
      return study.id();
    }
  }

  /** The context of a transaction holding {@code study}'s lock; empty for a placeholder study. */
  public Optional<Tx> tx(Connection c, StudyRow study, Instant now) {
    if (study.spec() == null) {
      return Optional.empty();
    }
    StudySpec spec = Json.decode(study.spec(), StudySpec.class);
    return Optional.of(new Tx(c, study, spec, new ControlRules(StudyPolicy.of(spec)), now));
  }

  /** The study's control state now (its row re-read, active segments with heartbeat progress). */
  public StudyView view(Tx t) throws SQLException {
    StudyRow row = studies.find(t.c(), t.studyId()).orElse(t.study());
    List<Segment> active =
        segments.active(t.c(), t.studyId()).stream().map(s -> segment(s, heartbeat(s))).toList();
    return new StudyView(
        StudyStates.RUNNING.equals(row.state()), row.trialsCreated(), active, row.paused());
  }

  /** The segment with the latest checkpoint known: its lease's heartbeats or its stored reports. */
  public Segment withProgress(Connection c, SegmentRow s) throws SQLException {
    Checkpoint beat = heartbeat(s);
    Optional<Checkpoint> stored =
        reports
            .latestCheckpoint(c, s.trialId(), s.attempt(), s.fromEpoch(), s.toEpoch())
            .map(r -> new Checkpoint(r.epoch(), r.checkpointUri()));
    Checkpoint best = beat;
    if (stored.isPresent() && (beat == null || stored.get().epoch() > beat.epoch())) {
      best = stored.get();
    }
    return segment(s, best);
  }

  /**
   * After an epoch report was stored: its segment's last epoch closes the segment, the rung
   * bookkeeping's promotions queue segments, then the study may be complete.
   */
  public Effects afterReport(Tx t, EpochReport r, List<Promotion> promotions) throws SQLException {
    Effects e = Effects.NONE;
    Optional<SegmentRow> seg = segments.activeOfTrial(t.c(), r.trialId());
    if (seg.isPresent()) {
      e = apply(t, t.rules().reported(segment(seg.get(), null), r.attempt(), r.epoch()));
    }
    e = e.plus(promoted(t, promotions));
    return e.plus(completion(t, e));
  }

  /** Queues the promoted trials' next segments. */
  public Effects promoted(Tx t, List<Promotion> promotions) throws SQLException {
    return promotions.isEmpty() ? Effects.NONE : apply(t, t.rules().promoted(view(t), promotions));
  }

  /** A segment failed (a worker's report, or its lease lost without progress): charged. */
  public Effects failSegment(Tx t, SegmentRow seg, String reason, LeaseOutcome outcome)
      throws SQLException {
    Segment s = withProgress(t.c(), seg);
    Effects e = apply(t, t.rules().failed(view(t), s, reason, outcome));
    return e.plus(completion(t, e));
  }

  /**
   * Ends the study as completed once its rules say so. Asked after every report, so the study's
   * active segments (hundreds in a large fleet) are read only when no cheaper read rules it out.
   */
  public Effects completion(Tx t) throws SQLException {
    return completion(t, Effects.NONE);
  }

  /**
   * {@link #completion} after actions of the same transaction had {@code since}: the study's row is
   * read again unless {@link Tx#studyCurrent} and those actions did not end the study (the only
   * action that writes its row).
   */
  private Effects completion(Tx t, Effects since) throws SQLException {
    StudyRow row =
        t.studyCurrent() && !since.studyEnded()
            ? t.study()
            : studies.find(t.c(), t.studyId()).orElse(t.study());
    if (!t.rules().budgetCreated(StudyStates.RUNNING.equals(row.state()), row.trialsCreated())
        || segments.anyActive(t.c(), t.studyId())) {
      return Effects.NONE;
    }
    Optional<EndStudy> end = t.rules().completion(view(t));
    return end.isPresent() ? apply(t, List.of(end.get())) : Effects.NONE;
  }

  /** Writes the actions, in order. */
  public Effects apply(Tx t, List<ControlAction> actions) throws SQLException {
    Effects e = Effects.NONE;
    for (ControlAction a : actions) {
      e = e.plus(apply(t, a));
    }
    return e;
  }

  /**
   * {@link #apply} of {@link Enqueue} actions only: the same segments, inserted in a fixed number
   * of statements.
   */
  public Effects enqueueAll(Tx t, List<Enqueue> actions) throws SQLException {
    if (actions.isEmpty()) {
      return Effects.NONE;
    }
    segments.insertAll(
        t.c(),
        actions.stream()
            .map(
                q ->
                    new NewSegment(
                        t.studyId(),
                        q.trialId(),
                        q.attempt(),
                        q.fromEpoch(),
                        q.toEpoch(),
                        q.checkpointUri(),
                        q.priority()))
            .toList(),
        t.now());
    return new Effects(true, false);
  }

  private Effects apply(Tx t, ControlAction a) throws SQLException {
    if (a instanceof Enqueue q) {
      return enqueue(t, q);
    } else if (a instanceof Close cl) {
      return close(t, cl);
    } else if (a instanceof Requeue rq) {
      return requeue(t, rq);
    } else if (a instanceof AwaitReport aw) {
      return awaitReport(t, aw);
    } else if (a instanceof RetryTrial rt) {
      return retry(t, rt);
    } else if (a instanceof FailTrial ft) {
      return failTrial(t, ft);
    }
    return endStudy(t, (EndStudy) a);
  }

  private Effects enqueue(Tx t, Enqueue q) throws SQLException {
    segments.insert(
        t.c(),
        new NewSegment(
            t.studyId(),
            q.trialId(),
            q.attempt(),
            q.fromEpoch(),
            q.toEpoch(),
            q.checkpointUri(),
            q.priority()),
        t.now());
    return new Effects(true, false);
  }

  private Effects close(Tx t, Close cl) throws SQLException {
    SegmentRow s = segment(t, cl.segmentId());
    if (cl.outcome() != null) {
      endLease(t, s, cl.outcome(), lastEpoch(t, s), cl.fenceAfter());
    }
    segments.close(t.c(), s.id(), cl.to(), t.now());
    return new Effects(false, true);
  }

  private Effects requeue(Tx t, Requeue rq) throws SQLException {
    SegmentRow s = segment(t, rq.segmentId());
    endLease(t, s, rq.outcome(), rq.from().epoch(), rq.from().epoch());
    segments.requeue(t.c(), s.id(), rq.from().epoch(), rq.from().uri(), t.now());
    return new Effects(true, false);
  }

  private Effects awaitReport(Tx t, AwaitReport aw) throws SQLException {
    SegmentRow s = segment(t, aw.segmentId());
    endLease(t, s, aw.outcome(), s.toEpoch(), null);
    segments.finishing(t.c(), s.id(), t.now().plus(settings.finishingTimeout()), t.now());
    return Effects.NONE;
  }

  /** The failed attempt's decision (as before retries existed), then the trial's next attempt. */
  private Effects retry(Tx t, RetryTrial rt) throws SQLException {
    TrialRow trial = lockedTrial(t, rt.trialId());
    int failed = rt.attempt() - 1;
    RungBookkeeping.FailureArrival arrival =
        rungs.beforeFailure(t.c(), t.spec(), trial, failed, rt.fromEpoch(), t.now());
    recordFailure(t, rt.trialId(), failed, rt.fromEpoch(), arrival.rung(), rt.reason());
    TrialStatus next = TrialStatus.of(trial).afterRetry(failed);
    trials.updateStatus(
        t.c(), rt.trialId(), next.state(), next.attempt(), next.lastEpoch(), rt.reason(), t.now());
    return promoted(t, arrival.promotions());
  }

  /** A permanent failure: the trial fails, its rung stops waiting for it, the decision follows. */
  private Effects failTrial(Tx t, FailTrial ft) throws SQLException {
    TrialRow trial = lockedTrial(t, ft.trialId());
    Integer lastEpoch = trial.attempt() == ft.attempt() ? trial.lastEpoch() : null;
    trials.updateStatus(
        t.c(), ft.trialId(), TrialState.FAILED, ft.attempt(), lastEpoch, ft.reason(), t.now());
    TrialRow updated = lockedTrial(t, ft.trialId());
    RungBookkeeping.FailureArrival arrival =
        rungs.beforeFailure(t.c(), t.spec(), updated, ft.attempt(), ft.fromEpoch(), t.now());
    Effects e = promoted(t, arrival.promotions());
    recordFailure(t, ft.trialId(), ft.attempt(), ft.fromEpoch(), arrival.rung(), ft.reason());
    return e;
  }

  private void recordFailure(Tx t, String trialId, int attempt, int epoch, int rung, String reason)
      throws SQLException {
    decisions.record(
        t.c(),
        t.studyId(),
        trialId,
        attempt,
        epoch,
        rung,
        RungDecision.Action.FAILED,
        reason,
        t.now());
  }

  private Effects endStudy(Tx t, EndStudy es) throws SQLException {
    studies.updateState(t.c(), t.studyId(), es.state(), es.reason(), t.now());
    return new Effects(false, true, true);
  }

  /**
   * Ends the segment's lease. {@code fenceEpoch} (null for none): the epoch the trial goes on from
   * under another lease, after which this lease's reports are dropped when they arrive.
   */
  private void endLease(
      Tx t, SegmentRow s, LeaseOutcome outcome, Integer lastEpoch, Integer fenceEpoch)
      throws SQLException {
    if (s.leaseId() == null) {
      return;
    }
    boolean open = history.ended(t.c(), s.leaseId(), outcome, lastEpoch, fenceEpoch, t.now());
    if (!open && outcome == LeaseOutcome.UNCONFIRMED) {
      history.relabel(t.c(), s.leaseId(), outcome, fenceEpoch);
    }
  }

  private Integer lastEpoch(Tx t, SegmentRow s) throws SQLException {
    Segment p = withProgress(t.c(), s);
    return p.progress() == null ? null : p.progress().epoch();
  }

  private SegmentRow segment(Tx t, long id) throws SQLException {
    return segments
        .lock(t.c(), id)
        .orElseThrow(() -> new SQLException("segment " + id + " vanished", "55000"));
  }

  private TrialRow lockedTrial(Tx t, String trialId) throws SQLException {
    return trials
        .find(t.c(), t.studyId(), trialId)
        .orElseThrow(() -> new SQLException("trial " + trialId + " vanished", "55000"));
  }

  private static Checkpoint heartbeat(SegmentRow s) {
    return s.progressEpoch() == null
        ? null
        : new Checkpoint(s.progressEpoch(), s.progressCheckpoint());
  }

  public static Segment segment(SegmentRow s, Checkpoint progress) {
    return new Segment(
        s.id(),
        s.trialId(),
        s.attempt(),
        s.fromEpoch(),
        s.toEpoch(),
        s.checkpointUri(),
        s.priority(),
        s.state(),
        progress);
  }
}
