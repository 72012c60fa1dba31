package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.TrialFailed;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.store.control.LeaseOutcome;
import io.sharpsweep.store.control.Promotion;
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
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Stores what workers report, each record in one transaction with its bookkeeping (the trial's
 * state, the rung results and the decisions of the study's schedule, see {@link RungBookkeeping})
 * and its control-plane consequences ({@link ControlPlane}: the segment's last report closes it,
 * promotions queue segments, failures are retried or end the trial, the study may complete).
 * Idempotent: a redelivered record changes nothing and decides nothing twice. Fenced: an epoch
 * report of a lease that ended before the report arrived is dropped when another lease trains that
 * epoch again ({@link LeaseRecord#fences}). Every transaction locks the study's row first, so the
 * decisions of one study are taken one at a time.
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

  public Ingested ingest(EpochReport r) {
    String what =
        "storing epoch report ("
            + r.trialId()
            + ", attempt "
            + r.attempt()
            + ", epoch "
            + r.epoch()
            + ")";
    return control
        .db()
        .inTransaction(
            what,
            c -> {
              Instant now = control.now();
              StudyRow study = lockStudy(c, r.studyId());
              TrialRow trial = lockTrial(c, r.studyId(), r.trialId());
              requireWithinStudy(study, r);
              Optional<LeaseRecord> lease = grantedLease(c, r);
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
                    what,
                    r.leaseId(),
                    fencedBy.get().workerId(),
                    fencedBy.get().outcome(),
                    fencedBy.get().fenceEpoch());
                return new Ingested(r.studyId(), Ingested.Outcome.FENCED, List.of(), Effects.NONE);
              }
              boolean stored = reports.insert(c, r, now);
              TrialStatus before = TrialStatus.of(trial);
              TrialStatus after =
                  stored ? before.afterReport(r.attempt(), r.epoch(), r.finalEpoch()) : before;
              if (!after.equals(before)) {
                trials.updateStatus(
                    c,
                    r.trialId(),
                    after.state(),
                    after.attempt(),
                    after.lastEpoch(),
                    trial.reason(),
                    now);
              }
              List<Promotion> promotions = List.of();
              if (stored) {
                TrialRow updated = reload(c, r.studyId(), r.trialId(), what);
                promotions = rungs.afterReport(c, spec(study), updated, r, now);
              }
              Effects effects = Effects.NONE;
              Optional<ControlPlane.Tx> t = control.tx(c, study, now);
              if (t.isPresent()) {
                effects = control.afterReport(t.get(), r, promotions);
              }
              return new Ingested(
                  r.studyId(),
                  Ingested.storedIf(stored),
                  rungs.unpublished(c, r.studyId()),
                  effects);
            });
  }

  /**
   * The lease this store granted that the report names, if any (it fences the report when it ended
   * before the report's epoch, {@link LeaseRecord#fences}). A report that names a lease of another
   * trial or attempt is refused (dead-lettered); one that names no lease, or a lease this store
   * never granted, is stored by (trialId, attempt, epoch) alone while its study runs.
   */
  private Optional<LeaseRecord> grantedLease(Connection c, EpochReport r) throws SQLException {
    if (r.leaseId() == null) {
      return Optional.empty();
    }
    Optional<LeaseRecord> lease = leases.find(c, r.leaseId());
    if (lease.isEmpty()) {
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
  private static void requireWithinStudy(StudyRow study, EpochReport r) {
    StudySpec spec = spec(study);
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
    String what = "storing failure of (" + f.trialId() + ", attempt " + f.attempt() + ")";
    String reason =
        f.reason() == null || f.reason().isBlank()
            ? "no reason given by worker " + f.workerId()
            : f.reason();
    return control
        .db()
        .inTransaction(
            what,
            c -> {
              Instant now = control.now();
              StudyRow study = lockStudy(c, f.studyId());
              TrialRow trial = lockTrial(c, f.studyId(), f.trialId());
              Optional<SegmentRow> segment =
                  segments.activeOfTrial(c, f.trialId()).filter(s -> s.attempt() == f.attempt());
              if (!StudyStates.RUNNING.equals(study.state()) && segment.isEmpty()) {
                throw notRunning(
                    study, "trial '" + f.trialId() + "' has no active segment of that attempt");
              }
              Optional<ControlPlane.Tx> t = control.tx(c, study, now);
              if (segment.isPresent() && t.isPresent()) {
                Effects e =
                    control.failSegment(t.get(), segment.get(), reason, LeaseOutcome.FAILED);
                return new Ingested(
                    f.studyId(), Ingested.Outcome.STORED, rungs.unpublished(c, f.studyId()), e);
              }
              boolean changed = legacyFailure(c, study, trial, f, reason, now, what);
              return new Ingested(
                  f.studyId(),
                  Ingested.storedIf(changed),
                  rungs.unpublished(c, f.studyId()),
                  Effects.NONE);
            });
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

  /** The study's row, locked; a study the store does not hold is refused, never created. */
  private StudyRow lockStudy(Connection c, String studyId) throws SQLException {
    return studies.lock(c, studyId).orElseThrow(() -> UnknownRecordException.study(studyId));
  }

  /**
   * The trial's row, locked (the caller holds the study's lock); a trial the store does not hold,
   * or holds under another study, is refused, never created.
   */
  private TrialRow lockTrial(Connection c, String studyId, String trialId) throws SQLException {
    TrialRow trial =
        trials.lock(c, trialId).orElseThrow(() -> UnknownRecordException.trial(studyId, trialId));
    if (!trial.studyId().equals(studyId)) {
      throw new TrialOwnershipException(trialId, studyId, trial.studyId());
    }
    return trial;
  }

  static StudySpec spec(StudyRow study) {
    return study.spec() == null ? null : Json.decode(study.spec(), StudySpec.class);
  }
}
