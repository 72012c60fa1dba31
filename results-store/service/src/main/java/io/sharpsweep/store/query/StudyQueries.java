package io.sharpsweep.store.query;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.api.BestAnswer;
import io.sharpsweep.protocol.api.BestTrial;
import io.sharpsweep.protocol.api.Counts;
import io.sharpsweep.protocol.api.Curve;
import io.sharpsweep.protocol.api.CurvePoint;
import io.sharpsweep.protocol.api.EpochView;
import io.sharpsweep.protocol.api.StudyDetail;
import io.sharpsweep.protocol.api.StudySummary;
import io.sharpsweep.protocol.api.TrialPage;
import io.sharpsweep.protocol.api.TrialView;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.StudyProgress;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.ObjectiveValues;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.ReportRepository.CompletedTrial;
import io.sharpsweep.store.db.RungResultRepository;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StoredReport;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.StudyStates;
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
                    StudyStates.shown(s),
                    counts(counts.getOrDefault(s.id(), TrialCounts.NONE)),
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
              StudyStates.shown(s),
              s.reason(),
              spec(s),
              counts(trials.counts(c, studyId)),
              reports.countByStudy(c, studyId),
              s.createdAt(),
              s.updatedAt());
        });
  }

  /**
   * One page of a study's trials by number ({@link TrialPaging}): one query for the page's trials,
   * one for their reports (or their last reports) and one for their rungs, whatever the size of the
   * study.
   *
   * @throws io.sharpsweep.protocol.ValidationException naming {@code after} when it is not a trial
   *     of the study
   */
  public TrialPage trials(String studyId, TrialPaging paging) {
    return db.read(
        "listing trials of study " + studyId,
        c -> {
          study(c, studyId);
          TrialRow after = null;
          if (paging.after() != null) {
            after =
                trials
                    .find(c, studyId, paging.after())
                    .orElseThrow(
                        () ->
                            new io.sharpsweep.protocol.ValidationException(
                                "after",
                                "must be the id of a trial of study '"
                                    + studyId
                                    + "' (the last trial of the previous page), got '"
                                    + paging.after()
                                    + "'"));
          }
          List<TrialRow> rows = trials.page(c, studyId, paging.state(), after, paging.limit() + 1);
          boolean more = rows.size() > paging.limit();
          if (more) {
            rows = rows.subList(0, paging.limit());
          }
          List<String> ids = rows.stream().map(TrialRow::trialId).toList();
          Map<String, List<StoredReport>> byTrial =
              switch (paging.epochs()) {
                case ALL -> reports.listByTrials(c, ids);
                case LAST -> lastOnly(reports.lastReports(c, rows));
                case NONE -> Map.of();
              };
          Map<String, Integer> reached = rungs.reachedByTrial(c, ids);
          List<TrialView> out = new ArrayList<>(rows.size());
          for (TrialRow t : rows) {
            out.add(
                view(t, reached.get(t.trialId()), byTrial.getOrDefault(t.trialId(), List.of())));
          }
          int total =
              !more && paging.after() == null
                  ? rows.size()
                  : trials.count(c, studyId, paging.state());
          return new TrialPage(out, total, more ? rows.get(rows.size() - 1).trialId() : null);
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
          return view(
              t,
              rungs.reachedByTrial(c, List.of(trialId)).get(trialId),
              reports.listByTrial(c, trialId));
        });
  }

  public Curve curve(String studyId, String trialId) {
    return curve(studyId, trialId, 0);
  }

  /**
   * A trial's learning curve from the epoch after {@code afterEpoch} on: what a live view that
   * holds the points up to {@code afterEpoch} reads next.
   */
  public Curve curve(String studyId, String trialId, int afterEpoch) {
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
          for (StoredReport r : reports.listByTrial(c, trialId, afterEpoch)) {
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
          Optional<CompletedTrial> best =
              reports.bestCompleted(
                  c, studyId, objective.name(), objective.goal() == Goal.MAXIMIZE, cap);
          if (best.isEmpty()) {
            int[] counts = reports.completedCounts(c, studyId, cap);
            String reason;
            if (counts[0] == 0) {
              reason = "no trial of study '" + studyId + "' has completed yet";
            } else if (counts[1] == 0) {
              reason =
                  "none of the "
                      + counts[0]
                      + " completed trials cost at most "
                      + cap
                      + " sgd_epoch_equivalents";
            } else {
              reason =
                  "none of the "
                      + counts[1]
                      + " completed trials"
                      + (cap == null ? "" : " within the cost cap")
                      + " reported "
                      + objective.name();
            }
            return new BestAnswer(studyId, objective, cap, null, reason);
          }
          CompletedTrial t = best.get();
          StoredReport r = t.last();
          BestTrial view =
              new BestTrial(
                  t.trial().trialId(),
                  t.trial().number(),
                  ObjectiveValues.of(objective.name(), r.metrics(), r.cost()),
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
    return reports.bestValue(c, studyId, objective.name(), objective.goal() == Goal.MAXIMIZE);
  }

  private static Map<String, List<StoredReport>> lastOnly(Map<String, StoredReport> last) {
    Map<String, List<StoredReport>> out = new java.util.HashMap<>();
    last.forEach((k, v) -> out.put(k, List.of(v)));
    return out;
  }

  private StudyRow study(Connection c, String studyId) throws SQLException {
    return studies.find(c, studyId).orElseThrow(() -> new UnknownStudyException(studyId));
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

  private static Counts counts(TrialCounts c) {
    return new Counts(c.running(), c.parked(), c.completed(), c.failed(), c.total());
  }
}
