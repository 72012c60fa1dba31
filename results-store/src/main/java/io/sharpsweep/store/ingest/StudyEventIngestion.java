package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.StudyCreated;
import io.sharpsweep.protocol.messages.StudyEvent;
import io.sharpsweep.protocol.messages.StudyStateChanged;
import io.sharpsweep.protocol.messages.TrialCreated;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Stores the scheduler's study events, each in one transaction; redelivered events change nothing.
 * When a study's spec or a trial's number arrives after reports that needed it, the rung decisions
 * those reports could not take are taken now ({@link RungBookkeeping#catchUp}) and returned for
 * publication.
 */
@ApplicationScoped
public class StudyEventIngestion {
  private final StoreDatabase db;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final RungBookkeeping rungs = new RungBookkeeping();
  private final Clock clock = Clock.systemUTC();

  @Inject
  StudyEventIngestion(StoreDatabase db) {
    this.db = db;
  }

  /** Stores the event; {@code stored} is false for a duplicate. */
  public Ingested apply(StudyEvent event) {
    if (event instanceof StudyCreated s) {
      return db.inTransaction(
          "storing study " + s.studyId(),
          c -> {
            Instant now = clock.instant();
            studies.ensureLocked(c, s.studyId(), now);
            boolean changed =
                studies.create(
                    c,
                    s.studyId(),
                    s.spec().name(),
                    Json.encodeToString(s.spec()),
                    at(s.createdAt()),
                    now);
            if (changed) {
              rungs.catchUp(c, s.studyId(), s.spec(), null, now);
            }
            return new Ingested(s.studyId(), changed, rungs.unpublished(c, s.studyId()));
          });
    }
    if (event instanceof TrialCreated t) {
      return db.inTransaction(
          "storing trial " + t.trialId(),
          c -> {
            Instant now = clock.instant();
            StudyRow study = studies.ensureLocked(c, t.studyId(), now);
            TrialRow trial = trials.ensureLocked(c, t.studyId(), t.trialId(), 1, now);
            if (!trial.studyId().equals(t.studyId())) {
              throw new TrialOwnershipException(t.trialId(), t.studyId(), trial.studyId());
            }
            boolean changed =
                trials.describe(
                    c,
                    t.trialId(),
                    t.number(),
                    Json.encodeToString(t.params()),
                    Json.encodeToString(t.config()),
                    at(t.createdAt()),
                    now);
            // Reports or a failure that overtook this event could not be placed in a bracket
            // without the trial's number.
            if (changed) {
              rungs.catchUp(c, t.studyId(), ReportIngestion.spec(study), t.trialId(), now);
            }
            return new Ingested(t.studyId(), changed, rungs.unpublished(c, t.studyId()));
          });
    }
    StudyStateChanged s = (StudyStateChanged) event;
    return db.inTransaction(
        "storing state of study " + s.studyId(),
        c -> {
          Instant now = clock.instant();
          studies.ensureLocked(c, s.studyId(), now);
          studies.updateState(c, s.studyId(), s.state().wireName(), s.reason(), now);
          return new Ingested(s.studyId(), true, List.of());
        });
  }

  /** Event time in epoch milliseconds; 0 (a producer that did not set it) means "now". */
  private Instant at(long epochMillis) {
    return epochMillis > 0 ? Instant.ofEpochMilli(epochMillis) : clock.instant();
  }
}
