package io.sharpsweep.store.query;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.api.ImportanceAnswer;
import io.sharpsweep.protocol.api.ParamImportance;
import io.sharpsweep.protocol.api.VariantsAnswer;
import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.ObjectiveValues;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.store.analysis.FunctionalAnova;
import io.sharpsweep.store.analysis.ImportanceAnalysis;
import io.sharpsweep.store.analysis.ImportanceAnalysis.Observation;
import io.sharpsweep.store.analysis.VariantComparison;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.ReportRepository.CompletedTrial;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * After the sweep: which knobs mattered ({@link ImportanceAnalysis}) and whether the
 * sharpness-aware variants paid for their cost ({@link VariantComparison}). Both read the completed
 * trials at their last epoch, the values {@code best} ranks; the analysis runs in Java after the
 * read, outside the transaction.
 */
@ApplicationScoped
public class AnalysisQuery {
  static final String ACCURACY = "val_accuracy";
  static final String COST = "sgd_epoch_equivalents";

  private final StoreDatabase db;
  private final StudyRepository studies = new StudyRepository();
  private final ReportRepository reports = new ReportRepository();
  private final Map<String, Cached> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
          return size() > CACHED_STUDIES;
        }
      };
  private final AtomicLong computations = new AtomicLong();

  static final int CACHED_STUDIES = 32;

  /** An answer and the inputs it was computed from. */
  private record Cached(StudySpec spec, List<Observation> observations, ImportanceAnswer answer) {}

  @Inject
  AnalysisQuery(StoreDatabase db) {
    this.db = db;
  }

  private record Read(StudySpec spec, List<CompletedTrial> completed) {}

  private Read read(String what, String studyId) {
    return db.read(
        what + " of study " + studyId,
        c -> {
          StudyRow s =
              studies.find(c, studyId).orElseThrow(() -> new UnknownStudyException(studyId));
          StudySpec spec = s.spec() == null ? null : Json.decode(s.spec(), StudySpec.class);
          return new Read(spec, reports.completedTrials(c, studyId));
        });
  }

  /**
   * @param objectiveName a metric name, or null for the study's first objective
   * @throws io.sharpsweep.protocol.ValidationException naming {@code objective} when unknown
   */
  public ImportanceAnswer importance(String studyId, String objectiveName) {
    Read r = read("computing parameter importances", studyId);
    Objective objective = ObjectiveChoice.resolve(r.spec(), objectiveName, null);
    List<Observation> observations = new ArrayList<>();
    for (CompletedTrial t : r.completed()) {
      Double v = ObjectiveValues.of(objective.name(), t.last().metrics(), t.last().cost());
      if (v != null && Double.isFinite(v) && t.trial().params() != null) {
        observations.add(new Observation(map(t.trial().params()), v));
      }
    }
    String key = studyId + "\u0000" + objective.name();
    synchronized (cache) {
      Cached hit = cache.get(key);
      if (hit != null
          && java.util.Objects.equals(hit.spec(), r.spec())
          && hit.observations().equals(observations)) {
        return hit.answer();
      }
    }
    ImportanceAnswer answer = compute(studyId, r.spec(), objective, observations);
    synchronized (cache) {
      cache.put(key, new Cached(r.spec(), observations, answer));
    }
    return answer;
  }

  /** How many importance answers were computed rather than taken from the cache, since start. */
  public long computed() {
    return computations.get();
  }

  private ImportanceAnswer compute(
      String studyId, StudySpec spec, Objective objective, List<Observation> observations) {
    computations.incrementAndGet();
    FunctionalAnova.Settings settings = FunctionalAnova.Settings.OPTUNA;
    long seed = spec == null ? 0L : spec.seedOrDefault();
    String reason = null;
    List<ParamImportance> importances = List.of();
    if (spec == null || spec.space() == null) {
      reason = "the store has no spec of study '" + studyId + "' yet: its search space is unknown";
    } else if (observations.size() < ImportanceAnalysis.MIN_TRIALS) {
      reason =
          "importance needs at least "
              + ImportanceAnalysis.MIN_TRIALS
              + " completed trials with a value of "
              + objective.name()
              + ", the study has "
              + observations.size();
    } else {
      importances = ImportanceAnalysis.evaluate(spec.searchSpace(), observations, seed, settings);
      if (importances.stream().allMatch(e -> e.importance() == null)) {
        reason =
            "no parameter explains any variance: "
                + objective.name()
                + " does not vary over the completed trials";
        importances = List.of();
      }
    }
    return new ImportanceAnswer(
        studyId,
        objective,
        "fanova",
        settings.trees(),
        seed,
        observations.size(),
        importances,
        reason);
  }

  public VariantsAnswer variants(String studyId) {
    Read r = read("comparing the variants", studyId);
    Object fixed = r.spec() == null ? null : r.spec().fixedOrEmpty().get("variant");
    List<VariantComparison.Run> runs = new ArrayList<>();
    for (CompletedTrial t : r.completed()) {
      Double acc = ObjectiveValues.of(ACCURACY, t.last().metrics(), t.last().cost());
      Double cost = ObjectiveValues.of(COST, t.last().metrics(), t.last().cost());
      if (acc == null || cost == null || !Double.isFinite(acc) || !Double.isFinite(cost)) {
        continue;
      }
      runs.add(
          new VariantComparison.Run(
              t.trial().trialId(), t.trial().number(), variantOf(t, fixed), acc, cost));
    }
    VariantComparison.Report report = VariantComparison.compare(runs);
    return new VariantsAnswer(
        studyId, ACCURACY, COST, runs.size(), report.sgdBest(), report.variants(), report.reason());
  }

  /** The trial's variant: its configuration's, else the study's fixed one, else the default. */
  private static String variantOf(CompletedTrial t, Object fixed) {
    for (String json : new String[] {t.trial().config(), t.trial().params()}) {
      Object v = json == null ? null : map(json).get("variant");
      if (v != null) {
        return v.toString();
      }
    }
    return fixed != null ? fixed.toString() : KnobCatalogue.VARIANT.defaultValue().toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(String json) {
    return Json.decode(json, LinkedHashMap.class);
  }
}
