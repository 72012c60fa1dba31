package io.sharpsweep.store.query;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.StudyProgress;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.ReportRepository.CompletedTrial;
import io.sharpsweep.store.db.RungResultRepository;
import io.sharpsweep.store.db.RungResultRow;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StoredReport;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.TrialCounts;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The read side of the store: what the REST resource and the progress messages show. */
@ApplicationScoped
public class StudyQueries {
  private final StoreDatabase db;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final ReportRepository reports = new ReportRepository();
  private final RungResultRepository rungs = new RungResultRepository();

  @Inject
  StudyQueries(StoreDatabase db) {
    this.db = db;
  }

  public List<StudySummary> list() {
    return db.read(
        "listing studies",
        c -> {
          Map<String, TrialCounts> counts = trials.countsByStudy(c);
          List<StudySummary> out = new ArrayList<>();
          for (StudyRow s : studies.list(c)) {
            Objective objective = ObjectiveChoice.primary(spec(s));
            Double best = bestValue(c, s.id(), objective);
            out.add(
                new StudySummary(
                    s.id(),
                    s.name(),
                    s.state(),
                    Counts.of(counts.getOrDefault(s.id(), TrialCounts.NONE)),
                    objective,
                    best,
                    s.createdAt()));
          }
          return out;
        });
  }

  public StudyDetail get(String studyId) {
    return db.read(
        "reading study " + studyId,
        c -> {
          StudyRow s = study(c, studyId);
          return new StudyDetail(
              s.id(),
              s.name(),
              s.state(),
              s.reason(),
              spec(s),
              Counts.of(trials.counts(c, studyId)),
              reports.countByStudy(c, studyId),
              s.createdAt(),
              s.updatedAt());
        });
  }

  public List<TrialView> trials(String studyId) {
    return db.read(
        "listing trials of study " + studyId,
        c -> {
          study(c, studyId);
          Map<String, List<StoredReport>> byTrial = reports.listByStudy(c, studyId);
          Map<String, Integer> reached = reached(c, studyId);
          List<TrialView> out = new ArrayList<>();
          for (TrialRow t : trials.listByStudy(c, studyId)) {
            out.add(
                view(t, reached.get(t.trialId()), byTrial.getOrDefault(t.trialId(), List.of())));
          }
          return out;
        });
  }

  public TrialView trial(String studyId, String trialId) {
    return db.read(
        "reading trial " + trialId,
        c -> {
          study(c, studyId);
          TrialRow t =
              trials
                  .find(c, studyId, trialId)
                  .orElseThrow(() -> new UnknownTrialException(studyId, trialId));
          return view(t, reached(c, studyId).get(trialId), reports.listByTrial(c, trialId));
        });
  }

  public Curve curve(String studyId, String trialId) {
    return db.read(
        "reading the curve of trial " + trialId,
        c -> {
          study(c, studyId);
          trials
              .find(c, studyId, trialId)
              .orElseThrow(() -> new UnknownTrialException(studyId, trialId));
          // Reports come by epoch then attempt, so the last one seen for an epoch is its latest
          // attempt.
          Map<Integer, StoredReport> latest = new LinkedHashMap<>();
          for (StoredReport r : reports.listByTrial(c, trialId)) {
            latest.put(r.epoch(), r);
          }
          List<CurvePoint> points = new ArrayList<>();
          for (StoredReport r : latest.values()) {
            points.add(
                new CurvePoint(
                    r.epoch(),
                    r.attempt(),
                    r.metrics().valAccuracy(),
                    r.metrics().valLoss(),
                    r.metrics().trainLoss(),
                    r.metrics().testAccuracy(),
                    r.cost().sgdEpochEquivalents(),
                    r.cost().wallSeconds()));
          }
          return new Curve(studyId, trialId, points);
        });
  }

  /**
   * The best completed trial of a study for an objective ({@link ObjectiveChoice} fills in what is
   * not given).
   */
  public BestAnswer best(String studyId, String objectiveName, String goal) {
    return best(studyId, objectiveName, goal, null);
  }

  /**
   * As {@link #best(String, String, String)}, among the completed trials whose total cost ({@code
   * sgd_epoch_equivalents} at their last epoch) is at most {@code maxCost}.
   *
   * @param maxCost a non-negative number, or null/blank for no cap
   * @throws io.sharpsweep.protocol.ValidationException naming {@code maxCost} when it is not a
   *     non-negative number
   */
  public BestAnswer best(String studyId, String objectiveName, String goal, String maxCost) {
    Double cap = QueryParams.nonNegative("maxCost", maxCost);
    return db.read(
        "finding the best trial of study " + studyId,
        c -> {
          StudyRow s = study(c, studyId);
          Objective objective = ObjectiveChoice.resolve(spec(s), objectiveName, goal);
          List<CompletedTrial> completed = reports.completedTrials(c, studyId);
          List<CompletedTrial> affordable =
              cap == null
                  ? completed
                  : completed.stream()
                      .filter(t -> t.last().cost().sgdEpochEquivalents() <= cap)
                      .toList();
          Optional<BestTrialSelector.Ranked> best = BestTrialSelector.best(affordable, objective);
          if (best.isEmpty()) {
            String reason;
            if (completed.isEmpty()) {
              reason = "no trial of study '" + studyId + "' has completed yet";
            } else if (affordable.isEmpty()) {
              reason =
                  "none of the "
                      + completed.size()
                      + " completed trials cost at most "
                      + cap
                      + " sgd_epoch_equivalents";
            } else {
              reason =
                  "none of the "
                      + affordable.size()
                      + " completed trials"
                      + (cap == null ? "" : " within the cost cap")
                      + " reported "
                      + objective.name();
            }
            return new BestAnswer(studyId, objective, cap, null, reason);
          }
          CompletedTrial t = best.get().trial();
          StoredReport r = t.last();
          BestTrial view =
              new BestTrial(
                  t.trial().trialId(),
                  t.trial().number(),
                  best.get().value(),
                  r.attempt(),
                  r.epoch(),
                  map(t.trial().params()),
                  map(t.trial().config()),
                  r.metrics(),
                  r.cost(),
                  r.checkpointUri());
          return new BestAnswer(studyId, objective, cap, view, null);
        });
  }

  /**
   * The counts the store sends to the scheduler after a decision; unknown studies count as empty.
   */
  public StudyProgress progress(String studyId) {
    return db.read(
        "counting progress of study " + studyId,
        c -> {
          TrialCounts counts = trials.counts(c, studyId);
          StudySpec spec = studies.find(c, studyId).map(StudyQueries::spec).orElse(null);
          Double best = bestValue(c, studyId, ObjectiveChoice.primary(spec));
          return new StudyProgress(
              SchemaVersion.CURRENT,
              studyId,
              counts.running(),
              counts.completed(),
              counts.failed(),
              reports.countByStudy(c, studyId),
              best,
              counts.parked());
        });
  }

  private Double bestValue(Connection c, String studyId, Objective objective) throws SQLException {
    return BestTrialSelector.best(reports.completedTrials(c, studyId), objective)
        .map(BestTrialSelector.Ranked::value)
        .orElse(null);
  }

  private StudyRow study(Connection c, String studyId) throws SQLException {
    return studies.find(c, studyId).orElseThrow(() -> new UnknownStudyException(studyId));
  }

  /** The highest rung each trial of the study reached with a result. */
  private Map<String, Integer> reached(Connection c, String studyId) throws SQLException {
    Map<String, Integer> out = new java.util.HashMap<>();
    for (RungResultRow r : rungs.listByStudy(c, studyId)) {
      if (!r.failed()) {
        out.merge(r.trialId(), r.rung(), Math::max);
      }
    }
    return out;
  }

  private static TrialView view(TrialRow t, Integer rung, List<StoredReport> reports) {
    List<EpochView> epochs = new ArrayList<>(reports.size());
    for (StoredReport r : reports) {
      epochs.add(
          new EpochView(
              r.attempt(),
              r.epoch(),
              r.metrics(),
              r.cost(),
              r.workerId(),
              r.checkpointUri(),
              r.finalEpoch(),
              r.receivedAt()));
    }
    return new TrialView(
        t.trialId(),
        t.number(),
        t.state().wireName(),
        t.attempt(),
        t.lastEpoch(),
        rung,
        t.reason(),
        map(t.params()),
        map(t.config()),
        t.createdAt(),
        t.updatedAt(),
        epochs);
  }

  private static StudySpec spec(StudyRow s) {
    return s.spec() == null ? null : Json.decode(s.spec(), StudySpec.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(String json) {
    return json == null ? null : Json.decode(json, LinkedHashMap.class);
  }
}
