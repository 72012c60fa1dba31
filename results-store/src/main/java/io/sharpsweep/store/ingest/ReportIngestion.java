package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.TrialFailed;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.store.db.DecisionRepository;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.db.TrialState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * Stores what workers report, each record in one transaction with its bookkeeping (placeholder
 * rows, the trial's state, the rung results and the decisions of the study's schedule, see {@link
 * RungBookkeeping}). Idempotent: a redelivered record changes nothing and decides nothing twice.
 * Every transaction locks the study's row first, so the decisions of one study are taken one at a
 * time.
 */
@ApplicationScoped
public class ReportIngestion {
  private final StoreDatabase db;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final ReportRepository reports = new ReportRepository();
  private final DecisionRepository decisions = new DecisionRepository();
  private final RungBookkeeping rungs = new RungBookkeeping();
  private final Clock clock = Clock.systemUTC();

  @Inject
  ReportIngestion(StoreDatabase db) {
    this.db = db;
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
    return db.inTransaction(
        what,
        c -> {
          Instant now = clock.instant();
          StudyRow study = studies.ensureLocked(c, r.studyId(), now);
          TrialRow trial = lockTrial(c, r.studyId(), r.trialId(), r.attempt(), now);
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
          if (stored) {
            TrialRow updated =
                trials
                    .find(c, r.studyId(), r.trialId())
                    .orElseThrow(() -> new SQLException("trial vanished: " + what, "55000"));
            rungs.afterReport(c, spec(study), updated, r, now);
          }
          return new Ingested(r.studyId(), stored, rungs.unpublished(c, r.studyId()));
        });
  }

  public Ingested ingest(TrialFailed f) {
    String what = "storing failure of (" + f.trialId() + ", attempt " + f.attempt() + ")";
    String reason =
        f.reason() == null || f.reason().isBlank()
            ? "no reason given by worker " + f.workerId()
            : f.reason();
    return db.inTransaction(
        what,
        c -> {
          Instant now = clock.instant();
          StudyRow study = studies.ensureLocked(c, f.studyId(), now);
          TrialRow trial = lockTrial(c, f.studyId(), f.trialId(), f.attempt(), now);
          TrialStatus before = TrialStatus.of(trial);
          TrialStatus after = before.afterFailure(f.attempt());
          boolean changed = !after.equals(before);
          if (changed) {
            trials.updateStatus(
                c, f.trialId(), after.state(), after.attempt(), after.lastEpoch(), reason, now);
          }
          if (changed && after.is(TrialState.FAILED, f.attempt())) {
            TrialRow updated =
                trials
                    .find(c, f.studyId(), f.trialId())
                    .orElseThrow(() -> new SQLException("trial vanished: " + what, "55000"));
            // A permanent failure's promotions (a synchronous rung stops waiting) go out before the
            // failure itself.
            int rung =
                rungs.beforeFailure(c, spec(study), updated, f.attempt(), f.fromEpoch(), now);
            decisions.record(
                c,
                f.studyId(),
                f.trialId(),
                f.attempt(),
                f.fromEpoch(),
                rung,
                RungDecision.Action.FAILED,
                reason,
                now);
          }
          return new Ingested(f.studyId(), changed, rungs.unpublished(c, f.studyId()));
        });
  }

  /**
   * Marks a decision as acknowledged by the broker, so that a redelivered report does not send it
   * again.
   */
  public void markPublished(long decisionId) {
    db.inTransaction(
        "marking decision " + decisionId + " published",
        c -> {
          decisions.markPublished(c, decisionId, clock.instant());
          return null;
        });
  }

  /**
   * The trial row, locked, created as a placeholder when the report overtook the scheduler's
   * events: reports are never dropped for arriving first. The caller holds the study's lock.
   */
  private TrialRow lockTrial(Connection c, String studyId, String trialId, int attempt, Instant now)
      throws SQLException {
    TrialRow trial = trials.ensureLocked(c, studyId, trialId, attempt, now);
    if (!trial.studyId().equals(studyId)) {
      throw new TrialOwnershipException(trialId, studyId, trial.studyId());
    }
    return trial;
  }

  static StudySpec spec(StudyRow study) {
    return study.spec() == null ? null : Json.decode(study.spec(), StudySpec.class);
  }
}
