package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.TrialFailed;
import io.sharpsweep.store.db.DecisionRepository;
import io.sharpsweep.store.db.DecisionRow;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StoredReport;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.db.TrialState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Stores what workers report, each record in one transaction with its bookkeeping (placeholder rows, the
 * trial's state, the decision). Idempotent: a redelivered record changes nothing and decides nothing twice.
 */
@ApplicationScoped
public class ReportIngestion {
  /** Rung of a decision taken without a multi-fidelity schedule (the whole trial is one rung). */
  static final int SINGLE_RUNG = 0;

  private final StoreDatabase db;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final ReportRepository reports = new ReportRepository();
  private final DecisionRepository decisions = new DecisionRepository();
  private final Clock clock = Clock.systemUTC();

  @Inject
  ReportIngestion(StoreDatabase db) {
    this.db = db;
  }

  public Ingested ingest(EpochReport r) {
    String what = "storing epoch report (" + r.trialId() + ", attempt " + r.attempt() + ", epoch " + r.epoch() + ")";
    return db.inTransaction(
        what,
        c -> {
          Instant now = clock.instant();
          TrialRow trial = lockTrial(c, r.studyId(), r.trialId(), r.attempt(), now);
          boolean stored = reports.insert(c, r, now);
          TrialStatus before = TrialStatus.of(trial);
          TrialStatus after = stored ? before.afterReport(r.attempt(), r.epoch(), r.finalEpoch()) : before;
          if (!after.equals(before)) {
            trials.updateStatus(c, r.trialId(), after.state(), after.attempt(), after.lastEpoch(), trial.reason(), now);
          }
          if (!r.finalEpoch() || !after.is(TrialState.COMPLETED, r.attempt())) {
            return new Ingested(r.studyId(), stored, List.of());
          }
          DecisionRow d =
              decisions.record(c, r.studyId(), r.trialId(), r.attempt(), r.epoch(), SINGLE_RUNG, RungDecision.Action.COMPLETE, null, now);
          if (d.published()) {
            return new Ingested(r.studyId(), stored, List.of());
          }
          // Built from the stored (first) copy of the report, so a republished decision carries the same numbers.
          StoredReport s =
              reports.find(c, r.trialId(), r.attempt(), r.epoch()).orElseThrow(() -> new SQLException("report vanished: " + what, "55000"));
          RungDecision decision =
              new RungDecision(
                  SchemaVersion.CURRENT,
                  d.studyId(),
                  d.trialId(),
                  d.attempt(),
                  d.rung(),
                  d.epoch(),
                  d.action(),
                  s.metrics(),
                  s.cost(),
                  s.checkpointUri(),
                  null);
          return new Ingested(r.studyId(), stored, List.of(new PendingDecision(d.id(), decision)));
        });
  }

  public Ingested ingest(TrialFailed f) {
    String what = "storing failure of (" + f.trialId() + ", attempt " + f.attempt() + ")";
    String reason = f.reason() == null || f.reason().isBlank() ? "no reason given by worker " + f.workerId() : f.reason();
    return db.inTransaction(
        what,
        c -> {
          Instant now = clock.instant();
          TrialRow trial = lockTrial(c, f.studyId(), f.trialId(), f.attempt(), now);
          TrialStatus before = TrialStatus.of(trial);
          TrialStatus after = before.afterFailure(f.attempt());
          boolean changed = !after.equals(before);
          if (changed) {
            trials.updateStatus(c, f.trialId(), after.state(), after.attempt(), after.lastEpoch(), reason, now);
          }
          if (!after.is(TrialState.FAILED, f.attempt())) {
            return new Ingested(f.studyId(), false, List.of());
          }
          DecisionRow d =
              decisions.record(c, f.studyId(), f.trialId(), f.attempt(), f.fromEpoch(), SINGLE_RUNG, RungDecision.Action.FAILED, reason, now);
          if (d.published()) {
            return new Ingested(f.studyId(), changed, List.of());
          }
          RungDecision decision =
              new RungDecision(
                  SchemaVersion.CURRENT, d.studyId(), d.trialId(), d.attempt(), d.rung(), d.epoch(), d.action(), null, null, null, d.reason());
          return new Ingested(f.studyId(), changed, List.of(new PendingDecision(d.id(), decision)));
        });
  }

  /** Marks a decision as acknowledged by the broker, so that a redelivered report does not send it again. */
  public void markPublished(long decisionId) {
    db.inTransaction(
        "marking decision " + decisionId + " published",
        c -> {
          decisions.markPublished(c, decisionId, clock.instant());
          return null;
        });
  }

  /**
   * The trial row, locked, created as a placeholder (with a placeholder study) when the report overtook the
   * scheduler's events: reports are never dropped for arriving first.
   */
  private TrialRow lockTrial(Connection c, String studyId, String trialId, int attempt, Instant now) throws SQLException {
    studies.ensure(c, studyId, now);
    TrialRow trial = trials.ensureLocked(c, studyId, trialId, attempt, now);
    if (!trial.studyId().equals(studyId)) {
      throw new TrialOwnershipException(trialId, studyId, trial.studyId());
    }
    return trial;
  }
}
