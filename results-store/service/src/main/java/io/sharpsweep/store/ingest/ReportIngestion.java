package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.TrialFailed;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.store.control.ControlRules;
import io.sharpsweep.store.control.LeaseOutcome;
import io.sharpsweep.store.control.Promotion;
import io.sharpsweep.store.control.StudyPolicy;
import io.sharpsweep.store.db.DecisionRepository;
import io.sharpsweep.store.db.LeaseHistoryRepository;
import io.sharpsweep.store.db.LeaseRecord;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.SegmentRepository;
import io.sharpsweep.store.db.SegmentRow;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.StudyStates;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.db.TrialState;
import io.sharpsweep.store.service.ControlPlane;
import io.sharpsweep.store.service.Effects;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Stores what workers report, a batch of one study's records in one transaction ({@link
 * #ingestBatch}), each record in turn with its bookkeeping (the trial's state, the rung results and
 * the decisions of the study's schedule, see {@link RungBookkeeping}) and its control-plane
 * consequences ({@link ControlPlane}: the segment's last report closes it, promotions queue
 * segments, failures are retried or end the trial, the study may complete). Idempotent: a
 * redelivered record changes nothing and decides nothing twice. Fenced: an epoch report of a lease
 * that ended before the report arrived is dropped when another lease trains that epoch again
 * ({@link LeaseRecord#fences}). Every transaction locks the study's row first, so the decisions of
 * one study are taken one at a time.
 *
 * <p>Checked against the known state before anything is written ({@link UnknownRecordException},
 * dead-lettered): the study and the trial must exist (the control API creates both before the
 * trial's first segment can be leased, so a report never legitimately precedes them) and the trial
 * must belong to the study; the epoch must be within the study's {@code maxEpochs}; and a study
 * that is no longer running takes only the records of the segments it leased (an epoch report
 * naming a lease this store granted, a failure of the trial's active segment), which a cancelled
 * study lets finish. Nothing here creates a study or a trial.
 */
@ApplicationScoped
public class ReportIngestion {
  private static final Logger LOG = Logger.getLogger(ReportIngestion.class);

  /** SQL state of a unique or primary-key violation, on PostgreSQL and H2. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final ControlPlane control;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final ReportRepository reports = new ReportRepository();
  private final DecisionRepository decisions = new DecisionRepository();
  private final SegmentRepository segments = new SegmentRepository();
  private final LeaseHistoryRepository leases = new LeaseHistoryRepository();
  private final RungBookkeeping rungs = new RungBookkeeping();

  @Inject
  public ReportIngestion(ControlPlane control) {
    this.control = control;
  }

  /**
   * Stores one epoch report: a batch of one ({@link #ingestBatch}). A record the known state
   * refuses throws ({@link UnknownRecordException}, {@link ValidationException}).
   */
  public Ingested ingest(EpochReport r) {
    return single(r);
  }

  /**
   * Stores a batch of records of one study, in their order, in one transaction that locks the
   * study's row once ({@link StudyBatch}): each record with the same rules and consequences as if
   * it were alone in its transaction, one after the other. A record the known state refuses is left
   * out, alone, with its reason; when that is found only after the record began to write (a rule
   * deep in its consequences), the transaction is rolled back and run again without it. Never
   * throws for a refused record; a transient fault (database down) throws, and the caller retries
   * the whole batch, which is idempotent.
   */
  public StudyBatch ingestBatch(String studyId, List<? extends ReportMessage> messages) {
    Map<Integer, RuntimeException> refused = new HashMap<>();
    boolean[] askEveryKey = {false};
    while (true) {
      try {
        return control
            .db()
            .inTransaction(
                "storing " + messages.size() + " records of study " + studyId,
                c -> new Batch(c, studyId, messages, refused, askEveryKey[0]).run());
      } catch (Rerun r) {
        refused.put(r.index, r.cause);
      } catch (StoredAlready e) {
        askEveryKey[0] = true;
      }
    }
  }

  private Ingested single(ReportMessage m) {
    StudyBatch b = ingestBatch(m.studyId(), List.of(m));
    if (b.refusals().get(0) != null) {
      throw b.refusals().get(0);
    }
    return new Ingested(m.studyId(), b.outcomes().get(0), b.decisions(), b.effects());
  }

  /**
   * What a batch of one study's records did: per record its outcome (null when refused) or its
   * refusal (null when not), the study's unpublished decisions after the commit, and the control
   * plane's effects of all records.
   */
  public record StudyBatch(
      String studyId,
      List<Ingested.Outcome> outcomes,
      List<RuntimeException> refusals,
      List<PendingDecision> decisions,
      Effects effects) {
    /** The batch as one {@link Ingested} for the publisher and the wake-ups. */
    public Ingested ingested() {
      return new Ingested(studyId, Ingested.Outcome.STORED, decisions, effects);
    }
  }

  /**
   * A report the batch took for new was stored already (its trial's row did not show it): the
   * transaction is run again, asking the database for every report's key.
   */
  private static final class StoredAlready extends RuntimeException {
    StoredAlready(String message) {
      super(message, null, false, false);
    }
  }

  /** A record refused after it began to write: the transaction is run again without it. */
  private static final class Rerun extends RuntimeException {
    final int index;
    final RuntimeException cause;

    Rerun(int index, RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
      this.index = index;
      this.cause = cause;
    }
  }

  /**
   * One transaction over a batch of one study's records. It holds the study's row lock throughout
   * and caches what the records read again and again: the study's spec, its trials' rows (locked in
   * one statement), the leases the reports name, the study's active segments, and which of the
   * reports are stored already. The reports' rows and the trials' new status are written behind, in
   * multi-row and batched statements, and flushed before anything that reads them (a rung arrival,
   * a segment's end, a failure) and at the end. Whenever a record did more than store an epoch (a
   * decision, a control-plane action), every cache is read again from the database.
   */
  private final class Batch {
    private final Connection c;
    private final String studyId;
    private final List<? extends ReportMessage> messages;
    private final Map<Integer, RuntimeException> refused;
    private final Ingested.Outcome[] outcomes;
    private final RuntimeException[] refusals;
    private final Set<String> trialIds = new HashSet<>();
    private final Set<String> leaseIds = new HashSet<>();
    private final Set<String> insertedKeys = new HashSet<>();
    private final List<EpochReport> pendingReports = new ArrayList<>();
    private final List<Instant> pendingReceived = new ArrayList<>();
    private final Map<String, TrialRow> dirtyTrials = new LinkedHashMap<>();
    private StudyRow study;
    private StudySpec spec;
    private FidelityLadder ladder;
    private ControlRules rules;
    private Map<String, TrialRow> trialRows;

    /** After a record's consequences: the trials whose cached rows were read again since. */
    private Set<String> freshTrials;

    /** The same for the leases the chunk's reports name. */
    private Set<String> freshLeases;

    /**
     * Trials (and leases) whose cached rows a record's consequences may have changed when those
     * consequences reach no other trial ({@link #ownTrialsOnly}): read again when next needed.
     */
    private final Set<String> staleTrials = new HashSet<>();

    private final Set<String> staleLeases = new HashSet<>();

    private Map<String, LeaseRecord> leaseRows;
    private Map<String, SegmentRow> activeByTrial;

    /**
     * Trials whose active segment a record's consequences may have changed: read again ({@link
     * #activeOf}) only when a later record asks for it.
     */
    private final Set<String> staleSegments = new HashSet<>();

    /** Whether the study has no active segment at all; null: not asked since the last change. */
    private Boolean studyIdle;

    private Set<String> storedKeys = Set.of();

    /**
     * Whether the stored-keys read covers every report of the chunk, rather than only those its
     * trial's row does not show new ({@link #mayBeStored}).
     */
    private final boolean askEveryKey;

    private Effects effects = Effects.NONE;

    Batch(
        Connection c,
        String studyId,
        List<? extends ReportMessage> messages,
        Map<Integer, RuntimeException> refused,
        boolean askEveryKey) {
      this.askEveryKey = askEveryKey;
      this.c = c;
      this.studyId = studyId;
      this.messages = messages;
      this.refused = refused;
      this.outcomes = new Ingested.Outcome[messages.size()];
      this.refusals = new RuntimeException[messages.size()];
    }

    StudyBatch run() throws SQLException {
      Optional<StudyRow> locked = studies.lock(c, studyId);
      if (locked.isEmpty()) {
        for (int i = 0; i < messages.size(); i++) {
          refusals[i] = refused.getOrDefault(i, UnknownRecordException.study(studyId));
        }
        return result(List.of());
      }
      study = locked.get();
      spec = spec(study);
      ladder = spec == null ? null : FidelityLadder.of(spec);
      rules = spec == null ? null : new ControlRules(StudyPolicy.of(spec));
      for (int i = 0; i < messages.size(); i++) {
        if (refused.containsKey(i)) {
          continue;
        }
        ReportMessage m = messages.get(i);
        trialIds.add(m.trialId());
        if (m instanceof EpochReport r && r.leaseId() != null) {
          leaseIds.add(r.leaseId());
        }
      }
      readStoredKeys();
      for (int i = 0; i < messages.size(); i++) {
        RuntimeException before = refused.get(i);
        if (before != null) {
          refusals[i] = before;
          continue;
        }
        boolean[] writing = {false};
        try {
          outcomes[i] =
              messages.get(i) instanceof EpochReport r
                  ? report(r, writing)
                  : failure((TrialFailed) messages.get(i), writing);
        } catch (MalformedRecordException | ValidationException e) {
          if (writing[0]) {
            throw new Rerun(i, e);
          }
          refusals[i] = e;
        }
      }
      flush();
      return result(rungs.unpublished(c, studyId));
    }

    /**
     * Reads which of the chunk's reports are stored already, for the reports that may be ({@link
     * #mayBeStored}; all of them when {@link #askEveryKey}). Locks the chunk's trials' rows first.
     */
    private void readStoredKeys() throws SQLException {
      trialRows = trials.lockAll(c, trialIds);
      Set<String> asked = new HashSet<>();
      int minEpoch = Integer.MAX_VALUE;
      int maxEpoch = Integer.MIN_VALUE;
      for (int i = 0; i < messages.size(); i++) {
        if (!refused.containsKey(i)
            && messages.get(i) instanceof EpochReport r
            && (askEveryKey || mayBeStored(trialRows.get(r.trialId()), r))) {
          asked.add(r.trialId());
          minEpoch = Math.min(minEpoch, r.epoch());
          maxEpoch = Math.max(maxEpoch, r.epoch());
        }
      }
      if (!asked.isEmpty()) {
        storedKeys = reports.storedKeys(c, asked, minEpoch, maxEpoch);
      }
    }

    /**
     * Whether the report may be stored already. A stored report moved its trial's row in the same
     * transaction to its attempt (attempts only grow) and its last epoch to at least its epoch, so
     * a report of the trial's attempt past its last epoch, or of a later attempt, is new; a trial
     * without a row is refused later. Should that ever not hold, the insert finds the report and
     * the chunk runs again with {@link #askEveryKey}.
     */
    private static boolean mayBeStored(TrialRow trial, EpochReport r) {
      if (trial == null || r.attempt() > trial.attempt()) {
        return false;
      }
      return r.attempt() < trial.attempt()
          || (trial.lastEpoch() != null && r.epoch() <= trial.lastEpoch());
    }

    private StudyBatch result(List<PendingDecision> decisions) {
      return new StudyBatch(
          studyId,
          Collections.unmodifiableList(Arrays.asList(outcomes)),
          Collections.unmodifiableList(Arrays.asList(refusals)),
          decisions,
          effects);
    }

    private Ingested.Outcome report(EpochReport r, boolean[] writing) throws SQLException {
      Instant now = control.now();
      TrialRow trial = trial(r.trialId());
      requireWithinStudy(study, spec, r);
      Optional<LeaseRecord> lease = grantedLease(r, lease(r.leaseId()));
      if (!StudyStates.RUNNING.equals(study.state()) && lease.isEmpty()) {
        throw notRunning(
            study,
            r.leaseId() == null
                ? "this report names no lease"
                : "this report names lease '" + r.leaseId() + "', which it never granted");
      }
      Optional<LeaseRecord> fencedBy = lease.filter(l -> l.fences(r.epoch()));
      if (fencedBy.isPresent()) {
        LOG.infof(
            "%s fenced: lease %s of %s ended %s, and the trial goes on from epoch %d"
                + " under another lease",
            describe(r),
            r.leaseId(),
            fencedBy.get().workerId(),
            fencedBy.get().outcome(),
            fencedBy.get().fenceEpoch());
        return Ingested.Outcome.FENCED;
      }
      writing[0] = true;
      String key = ReportRepository.key(r.trialId(), r.attempt(), r.epoch());
      boolean stored = !storedKeys.contains(key) && insertedKeys.add(key);
      if (stored) {
        pendingReports.add(r);
        pendingReceived.add(now);
      }
      TrialStatus before = TrialStatus.of(trial);
      TrialStatus after =
          stored ? before.afterReport(r.attempt(), r.epoch(), r.finalEpoch()) : before;
      TrialRow updated = trial;
      if (!after.equals(before)) {
        updated =
            new TrialRow(
                trial.trialId(),
                trial.studyId(),
                trial.number(),
                trial.params(),
                trial.config(),
                after.state(),
                after.attempt(),
                after.lastEpoch(),
                trial.reason(),
                trial.createdAt(),
                now);
        trialRows.put(updated.trialId(), updated);
        dirtyTrials.put(updated.trialId(), updated);
      }
      boolean touched = false;
      boolean ended = false;
      List<Promotion> promotions = List.of();
      if (stored && RungBookkeeping.mayDecide(spec, ladder, updated, r)) {
        flush();
        promotions = rungs.afterReport(c, spec, updated, r, now);
        touched = true;
      }
      if (spec != null) {
        ControlPlane.Tx t = new ControlPlane.Tx(c, study, spec, rules, now, true);
        SegmentRow seg = activeOf(r.trialId());
        boolean ends =
            seg != null
                && !rules
                    .reported(ControlPlane.segment(seg, null), r.attempt(), r.epoch())
                    .isEmpty();
        if (ends || !promotions.isEmpty()) {
          flush();
          Effects e = control.afterReport(t, r, promotions);
          effects = effects.plus(e);
          // what that can change among segments: this trial's (closed) and the promoted trials'
          // (queued)
          Set<String> moved = new HashSet<>();
          moved.add(r.trialId());
          promotions.forEach(p -> moved.add(p.trialId()));
          reread(moved, moved, e.studyEnded());
          return Ingested.storedIf(stored);
        } else if (noneActive()) {
          // nothing of the study is queued, leased or finishing: it may be complete
          flush();
          Effects e = control.completion(t);
          effects = effects.plus(e);
          touched |= !e.equals(Effects.NONE);
          ended = e.studyEnded();
        }
      }
      if (touched) {
        reread(null, Set.of(r.trialId()), ended);
      }
      return Ingested.storedIf(stored);
    }

    private Ingested.Outcome failure(TrialFailed f, boolean[] writing) throws SQLException {
      flush();
      Instant now = control.now();
      String what = "storing failure of (" + f.trialId() + ", attempt " + f.attempt() + ")";
      String reason =
          f.reason() == null || f.reason().isBlank()
              ? "no reason given by worker " + f.workerId()
              : f.reason();
      TrialRow trial = trial(f.trialId());
      Optional<SegmentRow> segment =
          Optional.ofNullable(activeOf(f.trialId())).filter(s -> s.attempt() == f.attempt());
      if (!StudyStates.RUNNING.equals(study.state()) && segment.isEmpty()) {
        throw notRunning(
            study, "trial '" + f.trialId() + "' has no active segment of that attempt");
      }
      writing[0] = true;
      try {
        if (segment.isPresent() && spec != null) {
          ControlPlane.Tx t = new ControlPlane.Tx(c, study, spec, rules, now, true);
          effects =
              effects.plus(control.failSegment(t, segment.get(), reason, LeaseOutcome.FAILED));
          return Ingested.Outcome.STORED;
        }
        return Ingested.storedIf(legacyFailure(c, study, trial, f, reason, now, what));
      } finally {
        reread();
      }
    }

    /** The trial's locked row; a trial the store does not hold, or holds elsewhere, is refused. */
    private TrialRow trial(String trialId) throws SQLException {
      if (trialRows == null) {
        flush();
        trialRows = trials.lockAll(c, trialIds);
      } else if ((freshTrials != null && freshTrials.add(trialId)) | staleTrials.remove(trialId)) {
        // the rows stay locked by this transaction; a consequence may have changed this one. Its
        // cached row holds no unwritten change (a trial's row becomes dirty only after this first
        // read since the consequence, and the consequence began with a flush), so the other
        // records' writes can wait for the next flush.
        if (dirtyTrials.containsKey(trialId)) {
          flush();
        }
        trials.find(c, studyId, trialId).ifPresent(row -> trialRows.put(trialId, row));
      }
      TrialRow trial = trialRows.get(trialId);
      if (trial == null) {
        throw UnknownRecordException.trial(studyId, trialId);
      }
      if (!trial.studyId().equals(studyId)) {
        throw new TrialOwnershipException(trialId, studyId, trial.studyId());
      }
      return trial;
    }

    private Optional<LeaseRecord> lease(String leaseId) throws SQLException {
      if (leaseId == null) {
        return Optional.empty();
      }
      if (leaseRows == null) {
        leaseRows =
            leaseIds.isEmpty() ? new HashMap<>() : new HashMap<>(leases.findAll(c, leaseIds));
      } else if ((freshLeases != null && freshLeases.add(leaseId)) | staleLeases.remove(leaseId)) {
        Optional<LeaseRecord> row = leases.find(c, leaseId);
        if (row.isPresent()) {
          leaseRows.put(leaseId, row.get());
        } else {
          leaseRows.remove(leaseId);
        }
      }
      return Optional.ofNullable(leaseRows.get(leaseId));
    }

    /**
     * The active segments of the chunk's trials by trial (a trial's oldest one, as {@code
     * activeOfTrial}), read in one statement; the study's other trials are not read. The entries of
     * {@link #staleSegments} are not known yet.
     */
    private Map<String, SegmentRow> active() throws SQLException {
      if (activeByTrial == null) {
        activeByTrial = new HashMap<>();
        staleSegments.clear();
        for (SegmentRow s : segments.activeOfTrials(c, trialIds)) {
          activeByTrial.putIfAbsent(s.trialId(), s);
        }
      }
      return activeByTrial;
    }

    /** The trial's active segment, or null; read again if a consequence may have changed it. */
    private SegmentRow activeOf(String trialId) throws SQLException {
      Map<String, SegmentRow> known = active();
      if (staleSegments.remove(trialId)) {
        Optional<SegmentRow> s = segments.activeOfTrial(c, trialId);
        if (s.isPresent()) {
          known.put(trialId, s.get());
        } else {
          known.remove(trialId);
        }
      }
      return known.get(trialId);
    }

    /** Whether nothing of the study is queued, leased or finishing. */
    private boolean noneActive() throws SQLException {
      for (String trialId : active().keySet()) {
        if (!staleSegments.contains(trialId)) {
          return false; // known active
        }
      }
      for (String trialId : List.copyOf(staleSegments)) {
        if (activeOf(trialId) != null) {
          return false;
        }
      }
      if (!active().isEmpty()) {
        return false;
      }
      if (studyIdle == null) {
        studyIdle = !segments.anyActive(c, studyId);
      }
      return studyIdle;
    }

    /** After a record's consequences: the database is the truth again. */
    private void reread() throws SQLException {
      reread(null, null, true);
    }

    /**
     * As {@link #reread()}, but the active segments are read again only for {@code segmentsOf}
     * (null: all of them), the only trials whose segments the record's consequences changed, each
     * when next needed; and when the consequences reach no trial but {@code trialsOf} ({@link
     * #ownTrialsOnly}), only those trials' rows and leases are read again, and the study's row only
     * if {@code studyEnded} (the study's row is locked by this transaction, and of the consequences
     * only the study's end writes it).
     */
    private void reread(Set<String> segmentsOf, Set<String> trialsOf, boolean studyEnded)
        throws SQLException {
      flush();
      boolean own = trialsOf != null && ownTrialsOnly();
      if (own) {
        staleTrials.addAll(trialsOf);
        if (leaseRows != null) {
          leaseRows.forEach(
              (id, lease) -> {
                if (trialsOf.contains(lease.trialId())) {
                  staleLeases.add(id);
                }
              });
        }
      } else {
        if (trialRows != null) {
          freshTrials = new HashSet<>(); // read each trial again when the chunk next needs it
        }
        if (leaseRows != null) {
          freshLeases = new HashSet<>();
        }
      }
      studyIdle = null;
      if (segmentsOf == null || activeByTrial == null) {
        activeByTrial = null;
        staleSegments.clear();
      } else {
        staleSegments.addAll(segmentsOf);
      }
      if (!own || studyEnded) {
        study = studies.find(c, studyId).orElse(study);
      }
    }

    /**
     * Whether a report's consequences change the rows of no trial but its own and its promoted
     * ones. True without a spec, and for a schedule that reads no state ({@code none}): its
     * verdicts know only the arriving trial ({@link RungBookkeeping}), and the control plane's
     * actions on a report (its segment's end, a retry or final failure, queued promotions, the
     * study's end) write only that trial's rows, its segment and lease, and the study's row. A
     * schedule that reads the study's rung results may move any trial of the rung: then every
     * cached row is read again.
     */
    private boolean ownTrialsOnly() {
      return ladder == null || !ladder.schedule().readsState();
    }

    private void flush() throws SQLException {
      if (!pendingReports.isEmpty()) {
        int n;
        try {
          n = reports.insertAll(c, pendingReports, pendingReceived);
        } catch (SQLException e) {
          if (!askEveryKey && UNIQUE_VIOLATION.equals(e.getSQLState())) {
            throw new StoredAlready(e.getMessage());
          }
          throw e;
        }
        if (n != pendingReports.size() && !askEveryKey) {
          throw new StoredAlready(
              (pendingReports.size() - n) + " of the batch's reports were stored already");
        }
        if (n != pendingReports.size()) {
          // another writer stored one of them meanwhile, which the study's lock rules out: run the
          // batch again, from what is stored now
          throw new SQLException(
              (pendingReports.size() - n) + " of the batch's reports were stored already", "40001");
        }
        pendingReports.clear();
        pendingReceived.clear();
      }
      if (!dirtyTrials.isEmpty()) {
        trials.updateStatuses(c, dirtyTrials.values());
        dirtyTrials.clear();
      }
    }
  }

  private static String describe(EpochReport r) {
    return "storing epoch report ("
        + r.trialId()
        + ", attempt "
        + r.attempt()
        + ", epoch "
        + r.epoch()
        + ")";
  }

  /**
   * The lease this store granted that the report names, if any (it fences the report when it ended
   * before the report's epoch, {@link LeaseRecord#fences}). A report that names a lease of another
   * trial or attempt is refused (dead-lettered); one that names no lease, or a lease this store
   * never granted, is stored by (trialId, attempt, epoch) alone while its study runs.
   */
  private static Optional<LeaseRecord> grantedLease(EpochReport r, Optional<LeaseRecord> lease) {
    if (r.leaseId() == null || lease.isEmpty()) {
      return Optional.empty();
    }
    LeaseRecord l = lease.get();
    if (!l.trialId().equals(r.trialId()) || l.attempt() != r.attempt()) {
      throw new ValidationException(
          "leaseId",
          "'"
              + r.leaseId()
              + "' was granted for trial "
              + l.trialId()
              + " attempt "
              + l.attempt()
              + ", not for trialId '"
              + r.trialId()
              + "' attempt "
              + r.attempt());
    }
    return lease;
  }

  /** An epoch beyond the study's {@code maxEpochs} is no epoch of its trials. */
  private static void requireWithinStudy(StudyRow study, StudySpec spec, EpochReport r) {
    if (spec != null
        && spec.scheduler() != null
        && spec.scheduler().maxEpochs() != null
        && r.epoch() > spec.scheduler().maxEpochs()) {
      throw new UnknownRecordException(
          "epoch: must be at most "
              + spec.scheduler().maxEpochs()
              + " (scheduler.maxEpochs of study '"
              + study.id()
              + "'), got "
              + r.epoch());
    }
  }

  private static UnknownRecordException notRunning(StudyRow study, String why) {
    return new UnknownRecordException(
        "study '"
            + study.id()
            + "' is "
            + study.state()
            + ": it takes only the records of segments it leased, and "
            + why);
  }

  /**
   * A worker's failure report. With the trial's active segment of that attempt it goes down the
   * control plane's one failure path (retry or final failure, the same as a lease's {@code fail});
   * without one (a duplicate, a straggler, a trial the control plane does not hold) the trial's
   * status rules decide alone.
   */
  public Ingested ingest(TrialFailed f) {
    return single(f);
  }

  /** A failure of a trial without an active segment: final by the trial's status rules. */
  private boolean legacyFailure(
      Connection c,
      StudyRow study,
      TrialRow trial,
      TrialFailed f,
      String reason,
      Instant now,
      String what)
      throws SQLException {
    TrialStatus before = TrialStatus.of(trial);
    TrialStatus after = before.afterFailure(f.attempt());
    boolean changed = !after.equals(before);
    if (changed) {
      trials.updateStatus(
          c, f.trialId(), after.state(), after.attempt(), after.lastEpoch(), reason, now);
    }
    if (changed && after.is(TrialState.FAILED, f.attempt())) {
      TrialRow updated = reload(c, f.studyId(), f.trialId(), what);
      // A permanent failure's promotions (a synchronous rung stops waiting) go out before the
      // failure itself.
      RungBookkeeping.FailureArrival arrival =
          rungs.beforeFailure(c, spec(study), updated, f.attempt(), f.fromEpoch(), now);
      Optional<ControlPlane.Tx> t = control.tx(c, study, now);
      if (t.isPresent()) {
        control.promoted(t.get(), arrival.promotions());
      }
      decisions.record(
          c,
          f.studyId(),
          f.trialId(),
          f.attempt(),
          f.fromEpoch(),
          arrival.rung(),
          RungDecision.Action.FAILED,
          reason,
          now);
    }
    return changed;
  }

  /**
   * Marks a decision as acknowledged by the broker, so that a redelivered report does not send it
   * again.
   */
  public void markPublished(long decisionId) {
    control
        .db()
        .inTransaction(
            "marking decision " + decisionId + " published",
            c -> {
              decisions.markPublished(c, decisionId, control.now());
              return null;
            });
  }

  private TrialRow reload(Connection c, String studyId, String trialId, String what)
      throws SQLException {
    return trials
        .find(c, studyId, trialId)
        .orElseThrow(() -> new SQLException("trial vanished: " + what, "55000"));
  }

  static StudySpec spec(StudyRow study) {
    return study.spec() == null ? null : Json.decode(study.spec(), StudySpec.class);
  }
}
