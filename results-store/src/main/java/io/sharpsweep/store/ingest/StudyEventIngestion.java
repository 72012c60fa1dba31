package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.StudyCreated;
import io.sharpsweep.protocol.messages.StudyEvent;
import io.sharpsweep.protocol.messages.StudyStateChanged;
import io.sharpsweep.protocol.messages.TrialCreated;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;

/** Stores the scheduler's study events, each in one transaction; redelivered events change nothing. */
@ApplicationScoped
public class StudyEventIngestion {
  private final StoreDatabase db;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final Clock clock = Clock.systemUTC();

  @Inject
  StudyEventIngestion(StoreDatabase db) {
    this.db = db;
  }

  /** Returns whether the event changed the store (false for a duplicate). */
  public boolean apply(StudyEvent event) {
    if (event instanceof StudyCreated s) {
      return db.inTransaction(
          "storing study " + s.studyId(),
          c -> studies.create(c, s.studyId(), s.spec().name(), Json.encodeToString(s.spec()), at(s.createdAt()), clock.instant()));
    }
    if (event instanceof TrialCreated t) {
      return db.inTransaction(
          "storing trial " + t.trialId(),
          c -> {
            Instant now = clock.instant();
            studies.ensure(c, t.studyId(), now);
            TrialRow trial = trials.ensureLocked(c, t.studyId(), t.trialId(), 1, now);
            if (!trial.studyId().equals(t.studyId())) {
              throw new TrialOwnershipException(t.trialId(), t.studyId(), trial.studyId());
            }
            return trials.describe(
                c, t.trialId(), t.number(), Json.encodeToString(t.params()), Json.encodeToString(t.config()), at(t.createdAt()), now);
          });
    }
    StudyStateChanged s = (StudyStateChanged) event;
    return db.inTransaction(
        "storing state of study " + s.studyId(),
        c -> {
          Instant now = clock.instant();
          studies.ensure(c, s.studyId(), now);
          studies.updateState(c, s.studyId(), s.state().wireName(), s.reason(), now);
          return true;
        });
  }

  /** Event time in epoch milliseconds; 0 (a producer that did not set it) means "now". */
  private Instant at(long epochMillis) {
    return epochMillis > 0 ? Instant.ofEpochMilli(epochMillis) : clock.instant();
  }
}
