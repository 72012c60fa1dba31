package io.sharpsweep.store.query;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.api.ParetoAnswer;
import io.sharpsweep.protocol.api.ParetoPoint;
import io.sharpsweep.protocol.pareto.Hypervolume;
import io.sharpsweep.protocol.pareto.Pareto;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.ObjectiveValues;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.ReportRepository.CompletedPoint;
import io.sharpsweep.store.db.RungResultRepository;
import io.sharpsweep.store.db.RungResultRow;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StoredReport;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.db.TrialState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accuracy-versus-cost front of a study. Candidates are the completed trials (their last
 * epoch); while none has completed, the trials at the highest rung any trial reached (their result
 * there). Metrics default to the study's two objectives; a one-objective study pairs its objective
 * with {@code sgd_epoch_equivalents} (or {@code val_accuracy} if that is the objective). Goals
 * follow the study, else the metric's natural direction ({@link ObjectiveChoice}).
 *
 * <p>The front is {@link Pareto#firstFront} and the hypervolume {@link Hypervolume#of}: the area
 * dominated by the front up to the reference point. The reference point is {@code refX}/{@code
 * refY} when given; otherwise, per metric, the worst candidate value moved away from the front by a
 * tenth of the candidates' range (by 1 when they all share one value) — so it moves as the study
 * grows, and hypervolumes of one study at two times are comparable only with an explicit reference
 * point.
 */
@ApplicationScoped
public class ParetoQuery {
  static final String COST = "sgd_epoch_equivalents";

  private final StoreDatabase db;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final ReportRepository reports = new ReportRepository();
  private final RungResultRepository rungs = new RungResultRepository();

  @Inject
  ParetoQuery(StoreDatabase db) {
    this.db = db;
  }

  /** One candidate: a trial's values of the two metrics in the report its point is read from. */
  private record Candidate(
      String trialId, Integer number, String state, int attempt, int epoch, Double x, Double y) {}

  /** The candidates with finite values of both metrics, and those values minimised per goal. */
  private record Usable(List<Candidate> candidates, double[][] minimised) {}

  /** The hypervolume's reference point (minimised per goal) and the rule that chose it. */
  private record Reference(double[] point, String rule) {}

  public ParetoAnswer front(String studyId, String xName, String yName, String refX, String refY) {
    Double rx = QueryParams.number("refX", refX);
    Double ry = QueryParams.number("refY", refY);
    if ((rx == null) != (ry == null)) {
      throw new ValidationException(
          rx == null ? "refX" : "refY", "give refX and refY together, or neither");
    }
    return db.read(
        "computing the Pareto front of study " + studyId,
        c -> {
          StudyRow s =
              studies.find(c, studyId).orElseThrow(() -> new UnknownStudyException(studyId));
          StudySpec spec = s.spec() == null ? null : Json.decode(s.spec(), StudySpec.class);
          List<String> pair = defaultPair(spec);
          Objective x = axis("x", spec, blankToNull(xName) == null ? pair.get(0) : xName);
          Objective y = axis("y", spec, blankToNull(yName) == null ? pair.get(1) : yName);
          if (x.name().equals(y.name())) {
            throw new ValidationException(
                "y", "must name another metric than x ('" + x.name() + "')");
          }
          List<Candidate> candidates = new ArrayList<>();
          String basis = candidates(c, studyId, x.name(), y.name(), candidates);
          List<Goal> goals = List.of(x.goal(), y.goal());
          Usable usable = usable(candidates, goals);
          double[][] minimised = usable.minimised();
          Reference ref = reference(rx, ry, minimised, goals);
          List<ParetoPoint> front = frontPoints(c, usable);
          double hv = Hypervolume.of(minimised, ref.point());
          double[] refInUnits = Pareto.minimised(ref.point(), goals);
          List<Double> refPoint =
              minimised.length == 0 && rx == null
                  ? List.of()
                  : List.of(refInUnits[0], refInUnits[1]);
          return new ParetoAnswer(
              studyId, x, y, basis, usable.candidates().size(), refPoint, ref.rule(), hv, front);
        });
  }

  private static Usable usable(List<Candidate> candidates, List<Goal> goals) {
    List<Candidate> usable = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    for (Candidate cand : candidates) {
      if (cand.x() != null
          && cand.y() != null
          && Double.isFinite(cand.x())
          && Double.isFinite(cand.y())) {
        usable.add(cand);
        values.add(new double[] {cand.x(), cand.y()});
      }
    }
    return new Usable(usable, Pareto.minimised(values.toArray(new double[0][]), goals));
  }

  /** {@code (rx, ry)} when given, else the nadir of the minimised values moved off the front. */
  private static Reference reference(Double rx, Double ry, double[][] minimised, List<Goal> goals) {
    if (rx != null) {
      return new Reference(Pareto.minimised(new double[] {rx, ry}, goals), "given (refX, refY)");
    }
    return new Reference(
        minimised.length == 0 ? new double[] {0, 0} : Hypervolume.nadirReference(minimised, 1.0),
        "worst candidate value per metric, moved a tenth of the candidates' range away from the front (1 when the range is 0)");
  }

  /** The first front's points with their trials' parameters, by x then y. */
  private List<ParetoPoint> frontPoints(Connection c, Usable usable) throws SQLException {
    List<Candidate> onFront = new ArrayList<>();
    for (int i : Pareto.firstFront(usable.minimised())) {
      onFront.add(usable.candidates().get(i));
    }
    Map<String, String> params =
        trials.paramsOf(c, onFront.stream().map(Candidate::trialId).toList());
    List<ParetoPoint> front = new ArrayList<>();
    for (Candidate cand : onFront) {
      front.add(
          new ParetoPoint(
              cand.trialId(),
              cand.number(),
              cand.state(),
              cand.attempt(),
              cand.epoch(),
              cand.x(),
              cand.y(),
              map(params.get(cand.trialId()))));
    }
    front.sort(Comparator.comparingDouble(ParetoPoint::x).thenComparingDouble(ParetoPoint::y));
    return front;
  }

  /**
   * Fills {@code out} with the candidates' values of metrics {@code x} and {@code y} and says which
   * trials they are: completed, else the highest rung reached. Completed trials are read through a
   * narrow query of the two columns; parameters are read later, for the front's trials alone.
   */
  private String candidates(Connection c, String studyId, String x, String y, List<Candidate> out)
      throws SQLException {
    String completed = TrialState.COMPLETED.wireName();
    for (CompletedPoint p : reports.completedPoints(c, studyId, x, y)) {
      out.add(
          new Candidate(p.trialId(), p.number(), completed, p.attempt(), p.epoch(), p.x(), p.y()));
    }
    if (!out.isEmpty()) {
      return "completed";
    }
    List<RungResultRow> rows =
        rungs.listByStudy(c, studyId).stream().filter(r -> !r.failed()).toList();
    int top = rows.stream().mapToInt(RungResultRow::rung).max().orElse(-1);
    if (top < 0) {
      return "completed";
    }
    Map<String, TrialRow> byId = new LinkedHashMap<>();
    for (TrialRow t : trials.listByStudy(c, studyId)) {
      byId.put(t.trialId(), t);
    }
    for (RungResultRow r : rows) {
      TrialRow t = byId.get(r.trialId());
      if (r.rung() == top && t != null) {
        Optional<StoredReport> report = reports.find(c, r.trialId(), r.attempt(), r.epoch());
        if (report.isPresent()) {
          StoredReport rep = report.get();
          out.add(
              new Candidate(
                  t.trialId(),
                  t.number(),
                  t.state().wireName(),
                  rep.attempt(),
                  rep.epoch(),
                  ObjectiveValues.of(x, rep.metrics(), rep.cost()),
                  ObjectiveValues.of(y, rep.metrics(), rep.cost())));
        }
      }
    }
    return "rung " + top;
  }

  private static List<String> defaultPair(StudySpec spec) {
    List<String> names = new ArrayList<>();
    if (spec != null && spec.objectives() != null) {
      spec.objectives().stream()
          .filter(o -> o != null && o.name() != null)
          .forEach(o -> names.add(o.name()));
    }
    if (names.size() >= 2) {
      return names.subList(0, 2);
    }
    String first = names.isEmpty() ? ObjectiveChoice.FALLBACK_METRIC : names.get(0);
    return first.equals(COST)
        ? List.of(ObjectiveChoice.FALLBACK_METRIC, COST)
        : List.of(first, COST);
  }

  /** The metric of one axis with its goal; an unknown metric is a 400 naming the axis parameter. */
  private static Objective axis(String param, StudySpec spec, String metric) {
    try {
      return ObjectiveChoice.resolve(spec, metric, null);
    } catch (ValidationException e) {
      throw new ValidationException(param, e.errors().get(0).message());
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(String json) {
    return json == null ? null : Json.decode(json, LinkedHashMap.class);
  }
}
