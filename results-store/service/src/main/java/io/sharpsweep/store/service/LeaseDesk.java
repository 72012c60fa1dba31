package io.sharpsweep.store.service;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.control.Heartbeat;
import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.protocol.control.LeaseEnd;
import io.sharpsweep.protocol.control.LeaseRenewal;
import io.sharpsweep.protocol.control.LeaseRequest;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.TrialIds;
import io.sharpsweep.store.StoreConfig;
import io.sharpsweep.store.control.LeaseOutcome;
import io.sharpsweep.store.control.SegmentState;
import io.sharpsweep.store.db.LeaseGrant;
import io.sharpsweep.store.db.LeaseHistoryRepository;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.SegmentRepository;
import io.sharpsweep.store.db.SegmentRow;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The worker side of the control API: lease a queued segment (long poll), renew it, and end it
 * (complete, release, fail); the reaper's expiry of overdue leases. Waiting requests stand in the
 * {@link LeaseDispatcher}'s line; a lease is granted with a conditional update under the study's
 * lock, so one segment is never leased to two workers, even by two replicas of the store.
 */
@Singleton
public class LeaseDesk {
  public static final int MAX_WAIT_SECONDS = 30;

  private final ControlPlane plane;
  private final LeaseSignal signal;
  private final Wakeups wakeups;
  private final LeaseDispatcher dispatcher;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final SegmentRepository segments = new SegmentRepository();
  private final LeaseHistoryRepository history = new LeaseHistoryRepository();
  private final ReportRepository reports = new ReportRepository();

  @Inject
  LeaseDesk(ControlPlane plane, LeaseSignal signal, Wakeups wakeups, StoreConfig config) {
    this(plane, signal, wakeups, config.leasePollRecheck());
  }

  public LeaseDesk(ControlPlane plane, LeaseSignal signal, Wakeups wakeups, Duration recheck) {
    this.plane = plane;
    this.signal = signal;
    this.wakeups = wakeups;
    this.dispatcher = new LeaseDispatcher(new DatabaseDesk(), signal, recheck);
  }

  /**
   * A lease now, or after waiting up to {@code waitSeconds} for one; empty if none came. The
   * request waits in the {@link LeaseDispatcher}'s line, holding no thread and no connection. A
   * request ahead ({@link LeaseRequest#asksAhead()}) does not wait, and gets a segment only when no
   * idle worker waits for it (docs/control-plane.md, "Lease ahead").
   */
  public CompletableFuture<Optional<Lease>> acquire(LeaseRequest request) {
    String worker = requireWorker(request == null ? null : request.workerId());
    if (request.asksAhead()) {
      return dispatcher.submitAhead(worker);
    }
    int wait = request.waitSeconds() == null ? 0 : request.waitSeconds();
    if (wait < 0) {
      throw new ValidationException("waitSeconds", "must be at least 0, got " + wait);
    }
    return dispatcher.submit(worker, Duration.ofSeconds(Math.min(wait, MAX_WAIT_SECONDS)));
  }

  /** Lease requests waiting in line now. */
  public int waitingRequests() {
    return dispatcher.waiting();
  }

  @PreDestroy
  void close() {
    dispatcher.close();
  }

  /** The dispatcher's view of the database: one read of the queue, one grant per study. */
  private final class DatabaseDesk implements LeaseDispatcher.Desk {
    @Override
    public List<SegmentRow> queued(int limit) {
      return plane.db().read("looking for queued segments", c -> segments.dispatchable(c, limit));
    }

    @Override
    public List<Lease> grant(
        String studyId, List<SegmentRow> candidates, List<String> workers, boolean ahead) {
      return LeaseDesk.this.grant(studyId, candidates, workers, ahead);
    }

    @Override
    public void giveBack(Lease lease) {
      release(lease.leaseId(), null);
    }
  }

  /**
   * One study's grants of a dispatch round, as the {@link LeaseDispatcher} asks for them ({@link
   * LeaseDispatcher.Desk#grant}): {@code candidates} (queued segments of the study, in dispatch
   * order) leased to {@code workers} in order, in one transaction. The leases are those of the
   * first workers. Public for the scenarios that check a round's grants; workers ask {@link
   * #acquire}.
   */
  public List<Lease> grant(
      String studyId, List<SegmentRow> candidates, List<String> workers, boolean ahead) {
    return plane
        .db()
        .inTransaction(
            "leasing segments of study " + studyId,
            c -> grantAll(c, studyId, candidates, workers, ahead));
  }

  public LeaseRenewal heartbeat(String leaseId, Heartbeat beat) {
    if (beat != null && beat.epoch() != null && beat.epoch() < 0) {
      throw new ValidationException("epoch", "must be at least 0, got " + beat.epoch());
    }
    Instant now = plane.now();
    Instant expires = now.plus(plane.settings().leaseTtl());
    boolean renewed =
        plane
            .db()
            .inTransaction(
                "renewing lease " + leaseId,
                c ->
                    segments.renew(
                        c,
                        leaseId,
                        expires,
                        beat == null ? null : beat.epoch(),
                        beat == null ? null : beat.checkpointUri(),
                        beat == null || beat.segmentStarted(),
                        now));
    if (!renewed) {
      throw lost(leaseId);
    }
    return new LeaseRenewal(leaseId, expires.toEpochMilli());
  }

  /**
   * The worker's reports of the segment are all in Kafka: done once the last one is stored. In the
   * usual order the last report is still on its way, and the segment only waits for it: that needs
   * the segment's row, not the study's lock, which the study's ingestion and grants hold for
   * longer. When the report is in already, the segment's end takes the study's lock as every other
   * lease end does.
   */
  public void complete(String leaseId, LeaseEnd end) {
    Optional<String> waiting =
        plane
            .db()
            .inTransaction(
                "completing lease " + leaseId,
                c -> {
                  SegmentRow s = segments.lockByLease(c, leaseId).orElseThrow(() -> lost(leaseId));
                  if (s.state() != SegmentState.LEASED) {
                    return Optional.of(s.studyId()); // already finishing or done: a retried call
                  }
                  if (reports.find(c, s.trialId(), s.attempt(), s.toEpoch()).isPresent()) {
                    return Optional.<String>empty();
                  }
                  Instant now = plane.now();
                  history.ended(c, leaseId, LeaseOutcome.COMPLETED, s.toEpoch(), null, now);
                  segments.finishing(c, s.id(), now.plus(plane.settings().finishingTimeout()), now);
                  return Optional.of(s.studyId());
                });
    if (waiting.isPresent()) {
      after(waiting.get(), Effects.NONE);
      return;
    }
    onLease(
        leaseId,
        (t, s) -> {
          if (s.state() != SegmentState.LEASED) {
            return Effects.NONE; // already finishing or done: a retried call
          }
          if (reports.find(t.c(), s.trialId(), s.attempt(), s.toEpoch()).isPresent()) {
            return plane.afterReport(t, lastReport(s), List.of());
          }
          history.ended(t.c(), leaseId, LeaseOutcome.COMPLETED, s.toEpoch(), null, t.now());
          segments.finishing(
              t.c(), s.id(), t.now().plus(plane.settings().finishingTimeout()), t.now());
          return Effects.NONE;
        });
  }

  /**
   * {@link #complete(String, LeaseEnd)}, then the worker's next lease as {@link #acquire} would
   * give it: the worker joins the line as soon as its segment's end is recorded, which saves the
   * round trip of a separate request. The request is checked before anything changes.
   */
  public CompletableFuture<Optional<Lease>> complete(
      String leaseId, LeaseEnd end, int nextWaitSeconds) {
    LeaseRequest next = new LeaseRequest(end == null ? null : end.workerId(), nextWaitSeconds);
    requireWorker(next.workerId());
    if (nextWaitSeconds < 0) {
      throw new ValidationException(
          "nextWaitSeconds", "must be at least 0, got " + nextWaitSeconds);
    }
    complete(leaseId, end);
    return acquire(next);
  }

  /** Handed back unfinished: queued again now from its latest checkpoint, not charged. */
  public void release(String leaseId, LeaseEnd end) {
    onLease(
        leaseId,
        (t, s) -> {
          if (s.state() != SegmentState.LEASED) {
            throw lost(leaseId);
          }
          SegmentRow withEnd = progressOf(t.c(), s, end);
          return plane.apply(
              t, t.rules().released(plane.view(t), plane.withProgress(t.c(), withEnd)));
        });
  }

  /** The segment failed on its worker: charged to the trial's attempts. */
  public void fail(String leaseId, LeaseEnd end) {
    String reason =
        end == null || end.reason() == null || end.reason().isBlank()
            ? "no reason given by worker " + (end == null ? null : end.workerId())
            : end.reason();
    onLease(
        leaseId,
        (t, s) -> {
          if (s.state() != SegmentState.LEASED) {
            throw lost(leaseId);
          }
          return plane.failSegment(t, s, reason, LeaseOutcome.FAILED);
        });
  }

  /** Expires every overdue lease and finishing segment; returns how many it handled. */
  public int reap() {
    Instant now = plane.now();
    List<SegmentRow> overdue =
        plane.db().read("looking for expired leases", c -> segments.overdue(c, now));
    int n = 0;
    for (SegmentRow s : overdue) {
      if (expire(s.id(), s.studyId())) {
        n++;
      }
    }
    return n;
  }

  private boolean expire(long segmentId, String studyId) {
    Optional<Effects> e =
        plane
            .db()
            .inTransaction(
                "expiring segment " + segmentId,
                c -> {
                  Optional<ControlPlane.Tx> t = lockedTx(c, studyId);
                  Optional<SegmentRow> s = segments.lock(c, segmentId);
                  if (t.isEmpty() || s.isEmpty() || !overdue(s.get(), t.get().now())) {
                    return Optional.<Effects>empty();
                  }
                  return Optional.of(expire(t.get(), s.get()));
                });
    e.ifPresent(effects -> after(studyId, effects));
    return e.isPresent();
  }

  private Effects expire(ControlPlane.Tx t, SegmentRow s) throws SQLException {
    if (s.state() == SegmentState.FINISHING) {
      return plane.apply(
          t, t.rules().finishingTimedOut(plane.view(t), plane.withProgress(t.c(), s)));
    }
    return plane
        .apply(
            t,
            t.rules()
                .expired(
                    plane.view(t), plane.withProgress(t.c(), s), s.workerId(), !s.leaseUnstarted()))
        .plus(plane.completion(t));
  }

  private static boolean overdue(SegmentRow s, Instant now) {
    return (s.state() == SegmentState.LEASED || s.state() == SegmentState.FINISHING)
        && s.leaseExpiresAt() != null
        && s.leaseExpiresAt().isBefore(now);
  }

  /**
   * Leases the study's candidates to the workers in order, within its parallelism. It holds the
   * study's dispatch lock, not the study's lock: every other change to the study's segments only
   * queues or ends them, so the busy count read here can only be too high, never too low, and each
   * candidate is leased by a conditional update of its queued row.
   *
   * <p>The round costs a fixed number of statements however many segments it leases: besides the
   * lock, the study and the busy count, one read of which candidates are still queued, one batch of
   * the conditional updates of as many of those as the workers and the parallelism allow, one read
   * of the leased rows, one batch of their lease history and one read of their trials. A candidate
   * taken between that read and its update (the update changes nothing) is skipped, so the round
   * may lease fewer; the leases after it move up one worker each, in one more batch.
   */
  private List<Lease> grantAll(
      Connection c,
      String studyId,
      List<SegmentRow> candidates,
      List<String> workers,
      boolean ahead)
      throws SQLException {
    Optional<StudyRow> row = studies.lockForDispatch(c, studyId);
    Optional<ControlPlane.Tx> t =
        row.isPresent() ? plane.tx(c, row.get(), plane.now()) : lockedTx(c, studyId);
    if (t.isEmpty() || !"running".equals(t.get().study().state()) || t.get().study().paused()) {
      return List.of();
    }
    int free = t.get().rules().policy().parallelism() - segments.busy(c, studyId);
    int wanted = Math.min(workers.size(), free);
    if (wanted <= 0 || candidates.isEmpty()) {
      return List.of();
    }
    Set<Long> queued = segments.queuedAmong(c, candidates.stream().map(SegmentRow::id).toList());
    List<Long> tried =
        candidates.stream().map(SegmentRow::id).filter(queued::contains).limit(wanted).toList();
    Instant now = t.get().now();
    Instant expires = now.plus(plane.settings().leaseTtl());
    List<LeaseGrant> offered = new ArrayList<>();
    for (int i = 0; i < tried.size(); i++) {
      offered.add(
          new LeaseGrant(UUID.randomUUID().toString(), workers.get(i), expires, now, ahead));
    }
    Granted taken = Granted.of(tried, offered, segments.grantAll(c, tried, offered), workers);
    if (taken.ids().isEmpty()) {
      return List.of();
    }
    segments.reassign(c, taken.moved());
    Map<Long, SegmentRow> rows = segments.findAll(c, taken.ids());
    List<SegmentRow> granted = taken.ids().stream().map(rows::get).toList();
    List<LeaseGrant> grants = taken.grants();
    history.granted(c, granted, grants);
    Map<String, TrialRow> trialsById =
        trials.findAll(c, studyId, granted.stream().map(SegmentRow::trialId).distinct().toList());
    long ttlMillis = plane.settings().leaseTtl().toMillis();
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < granted.size(); i++) {
      SegmentRow s = granted.get(i);
      TrialRow trial = trialsById.get(s.trialId());
      if (trial == null) {
        throw new IllegalStateException(
            "trial " + s.trialId() + " of segment " + s.id() + " is missing");
      }
      LeaseGrant g = grants.get(i);
      leases.add(
          new Lease(
              g.leaseId(),
              g.workerId(),
              g.expiresAt().toEpochMilli(),
              ttlMillis,
              ttlMillis / 3,
              assignment(t.get(), s, trial)));
    }
    return leases;
  }

  /**
   * The leases of a batch of conditional updates that took: the segments {@code ids} with their
   * {@code grants}, in the order tried. The k-th lease is the k-th worker's, so a lease after a
   * candidate taken meanwhile moves up to the previous worker: {@code moved} holds those, by
   * segment id, with their new holder.
   */
  record Granted(List<Long> ids, List<LeaseGrant> grants, Map<Long, LeaseGrant> moved) {
    static Granted of(
        List<Long> tried, List<LeaseGrant> offered, boolean[] leased, List<String> workers) {
      List<Long> ids = new ArrayList<>();
      List<LeaseGrant> grants = new ArrayList<>();
      Map<Long, LeaseGrant> moved = new HashMap<>();
      for (int i = 0; i < tried.size(); i++) {
        if (!leased[i]) {
          continue;
        }
        LeaseGrant g = offered.get(i);
        if (grants.size() != i) {
          g = g.to(workers.get(grants.size()));
          moved.put(tried.get(i), g);
        }
        ids.add(tried.get(i));
        grants.add(g);
      }
      return new Granted(ids, grants, moved);
    }
  }

  private static SegmentAssignment assignment(ControlPlane.Tx t, SegmentRow s, TrialRow trial) {
    StudySpec spec = t.spec();
    @SuppressWarnings("unchecked")
    Map<String, Object> config =
        trial.config() == null ? Map.of() : Json.decode(trial.config(), Map.class);
    int number = trial.number() == null ? 0 : trial.number();
    return new SegmentAssignment(
        SchemaVersion.CURRENT,
        s.studyId(),
        s.trialId(),
        s.attempt(),
        config,
        s.fromEpoch(),
        s.toEpoch(),
        t.rules().policy().ladder().maxEpochs(),
        s.checkpointUri(),
        spec.dataset(),
        spec.model(),
        TrialIds.trialSeed(spec.seedOrDefault(), number));
  }

  @FunctionalInterface
  private interface LeaseWork {
    Effects run(ControlPlane.Tx t, SegmentRow segment) throws SQLException;
  }

  /** Runs {@code work} on the segment the lease holds, under its study's lock; 409 if none. */
  private void onLease(String leaseId, LeaseWork work) {
    Optional<SegmentRow> found =
        plane.db().read("finding lease " + leaseId, c -> segments.byLease(c, leaseId));
    if (found.isEmpty()) {
      throw lost(leaseId);
    }
    String studyId = found.get().studyId();
    Effects e =
        plane
            .db()
            .inTransaction(
                "ending lease " + leaseId,
                c -> {
                  ControlPlane.Tx t = lockedTx(c, studyId).orElseThrow(() -> lost(leaseId));
                  SegmentRow s = segments.lockByLease(c, leaseId).orElseThrow(() -> lost(leaseId));
                  return work.run(t, s);
                });
    after(studyId, e);
  }

  private void after(String studyId, Effects e) {
    if (e.enqueued()) {
      signal.wake();
    }
    wakeups.studyChanged(studyId);
  }

  private Optional<ControlPlane.Tx> lockedTx(Connection c, String studyId) throws SQLException {
    Optional<StudyRow> row = studies.lock(c, studyId);
    return row.isEmpty() ? Optional.empty() : plane.tx(c, row.get(), plane.now());
  }

  /** The segment with the worker's last checkpoint as its heartbeat progress. */
  private static SegmentRow progressOf(Connection c, SegmentRow s, LeaseEnd end) {
    if (end == null
        || end.epoch() == null
        || end.epoch() <= s.fromEpoch()
        || end.epoch() > s.toEpoch()
        || (s.progressEpoch() != null && s.progressEpoch() >= end.epoch())) {
      return s;
    }
    return new SegmentRow(
        s.id(),
        s.studyId(),
        s.trialId(),
        s.attempt(),
        s.fromEpoch(),
        s.toEpoch(),
        s.checkpointUri(),
        s.priority(),
        s.state(),
        s.leaseId(),
        s.workerId(),
        s.leaseExpiresAt(),
        end.epoch(),
        end.checkpointUri(),
        s.leaseGrantedEpoch(),
        s.leaseUnstarted());
  }

  private static io.sharpsweep.protocol.messages.EpochReport lastReport(SegmentRow s) {
    return new io.sharpsweep.protocol.messages.EpochReport(
        SchemaVersion.CURRENT,
        s.studyId(),
        s.trialId(),
        s.attempt(),
        s.toEpoch(),
        null,
        null,
        s.workerId(),
        null,
        false);
  }

  private static String requireWorker(String workerId) {
    if (workerId == null || workerId.isBlank()) {
      throw new ValidationException("workerId", "is required");
    }
    if (workerId.length() > 200) {
      throw new ValidationException("workerId", "must be at most 200 characters");
    }
    return workerId;
  }

  private static LeaseLostException lost(String leaseId) {
    return new LeaseLostException(leaseId);
  }
}
