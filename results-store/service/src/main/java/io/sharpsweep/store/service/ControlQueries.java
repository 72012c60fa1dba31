package io.sharpsweep.store.service;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.control.QueueDepth;
import io.sharpsweep.protocol.control.StudyStatus;
import io.sharpsweep.protocol.control.SuggestContext;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.ObjectiveValues;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.store.control.SegmentState;
import io.sharpsweep.store.control.StudyView;
import io.sharpsweep.store.control.SuggestPlan;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.RungResultRepository;
import io.sharpsweep.store.db.RungResultRow;
import io.sharpsweep.store.db.SegmentRepository;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.StudyStates;
import io.sharpsweep.store.db.TrialCounts;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.query.UnknownStudyException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's reads: a study's status, what the sampler needs for its next trials, which
 * studies want trials, the queue depth.
 */
@Singleton
public class ControlQueries {
  private final ControlPlane plane;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final SegmentRepository segments = new SegmentRepository();
  private final RungResultRepository rungs = new RungResultRepository();
  private final ReportRepository reports = new ReportRepository();

  @Inject
  public ControlQueries(ControlPlane plane) {
    this.plane = plane;
  }

  public StudyStatus status(String studyId) {
    return plane.db().read("reading control status of " + studyId, c -> status(c, studyId));
  }

  public List<StudyStatus> statuses() {
    return plane
        .db()
        .read(
            "listing control statuses",
            c -> {
              List<StudyStatus> out = new ArrayList<>();
              for (StudyRow row : studies.list(c)) {
                if (row.spec() != null) {
                  out.add(status(c, row.id()));
                }
              }
              return out;
            });
  }

  /** The study's status within the caller's transaction. */
  public StudyStatus status(Connection c, String studyId) throws SQLException {
    ControlPlane.Tx t = tx(c, studyId);
    StudyView v = plane.view(t);
    TrialCounts counts = trials.counts(c, studyId);
    StudySpec spec = t.spec();
    return new StudyStatus(
        studyId,
        t.study().name(),
        StudyStates.shown(t.study()),
        t.study().reason(),
        t.study().createdAt().toEpochMilli(),
        spec.scheduler() == null ? null : spec.scheduler().typeOrDefault(),
        spec.budget(),
        v.created(),
        v.count(SegmentState.LEASED) + v.count(SegmentState.FINISHING),
        v.count(SegmentState.QUEUED),
        counts.parked(),
        counts.completed(),
        counts.failed(),
        v.active().stream().map(s -> s.trialId()).distinct().toList());
  }

  /** What the sampler needs for the trials the study wants now; empty if it wants none. */
  public Optional<SuggestContext> suggestContext(String studyId) {
    return plane
        .db()
        .read(
            "building the suggest context of " + studyId,
            c -> {
              ControlPlane.Tx t = tx(c, studyId);
              StudyView v = plane.view(t);
              int wanted = t.rules().wanted(v);
              if (wanted == 0) {
                return Optional.<SuggestContext>empty();
              }
              int count =
                  Math.min(wanted, SuggestRequest.maxCountPerCall(t.spec().sampler().type()));
              return Optional.of(new SuggestContext(studyId, v.created(), request(c, t, v, count)));
            });
  }

  /** The running studies that want new trials now. */
  public List<String> wanting() {
    return plane
        .db()
        .read(
            "listing the studies that want trials",
            c -> {
              List<String> out = new ArrayList<>();
              for (String id : studies.running(c)) {
                ControlPlane.Tx t = tx(c, id);
                if (t.rules().wanted(plane.view(t)) > 0) {
                  out.add(id);
                }
              }
              return out;
            });
  }

  public QueueDepth queue() {
    return plane
        .db()
        .read(
            "counting the queue",
            c -> {
              int queued = segments.countInState(c, SegmentState.QUEUED);
              int leased = segments.countInState(c, SegmentState.LEASED);
              return new QueueDepth(queued, leased, queued + leased);
            });
  }

  private SuggestRequest request(Connection c, ControlPlane.Tx t, StudyView v, int wanted)
      throws SQLException {
    StudySpec spec = t.spec();
    Map<String, Map<String, Object>> params = params(c, t.studyId());
    List<Pending> pending = new ArrayList<>();
    v.active().stream()
        .map(s -> params.get(s.trialId()))
        .filter(p -> p != null)
        .forEach(p -> pending.add(new Pending(p)));
    FidelityLadder ladder = FidelityLadder.of(spec);
    return SuggestPlan.request(
        spec.searchSpace(),
        spec.objectives().stream().map(o -> new Objective(o.name(), o.goal())).toList(),
        spec.sampler(),
        ladder,
        observationsByRung(c, t, ladder, params),
        warmStart(c, spec),
        pending,
        v.created(),
        wanted);
  }

  /**
   * Every trial's objective values at each rung it reached, in arrival order, skipping failures and
   * results missing an objective.
   */
  private List<Map<String, Observation>> observationsByRung(
      Connection c,
      ControlPlane.Tx t,
      FidelityLadder ladder,
      Map<String, Map<String, Object>> params)
      throws SQLException {
    int n = t.spec().objectives().size();
    List<Map<String, Observation>> byRung = new ArrayList<>();
    for (int k = 0; k < ladder.rungCount(); k++) {
      byRung.add(new LinkedHashMap<>());
    }
    for (RungResultRow r : rungs.listByStudy(c, t.studyId())) {
      List<Double> values = values(r, n);
      Map<String, Object> p = params.get(r.trialId());
      if (r.failed() || values == null || p == null || r.rung() >= byRung.size()) {
        continue;
      }
      byRung.get(r.rung()).put(r.trialId(), new Observation(p, values));
    }
    return byRung;
  }

  /** The most observations a warm start adds to a suggest request. */
  public static final int MAX_WARM_START = 1_000;

  /**
   * The completed trials of the study {@code spec} warm-starts from, with their last epoch's values
   * of this study's objectives (a trial missing one is skipped), as observations of its space.
   */
  @SuppressWarnings("unchecked")
  private List<Observation> warmStart(Connection c, StudySpec spec) throws SQLException {
    if (spec.warmStart() == null || spec.warmStart().fromStudy() == null) {
      return List.of();
    }
    List<Observation> completed = new ArrayList<>();
    for (ReportRepository.CompletedTrial t :
        reports.completedTrials(c, spec.warmStart().fromStudy())) {
      if (t.trial().params() == null) {
        continue;
      }
      List<Double> values = new ArrayList<>();
      for (var o : spec.objectives()) {
        Double v = ObjectiveValues.of(o.name(), t.last().metrics(), t.last().cost());
        if (v == null || !Double.isFinite(v)) {
          values = null;
          break;
        }
        values.add(v);
      }
      if (values != null) {
        completed.add(new Observation(Json.decode(t.trial().params(), Map.class), values));
      }
    }
    return SuggestPlan.warmStart(spec.searchSpace(), completed, MAX_WARM_START);
  }

  private static List<Double> values(RungResultRow r, int objectives) {
    Double[] raw = {r.objective1(), r.objective2()};
    if (objectives > raw.length) {
      return null;
    }
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < objectives; i++) {
      if (raw[i] == null || !Double.isFinite(raw[i])) {
        return null;
      }
      out.add(raw[i]);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> params(Connection c, String studyId)
      throws SQLException {
    Map<String, Map<String, Object>> out = new HashMap<>();
    for (TrialRow row : trials.listByStudy(c, studyId)) {
      if (row.params() != null) {
        out.put(row.trialId(), Json.decode(row.params(), Map.class));
      }
    }
    return out;
  }

  private ControlPlane.Tx tx(Connection c, String studyId) throws SQLException {
    StudyRow row = studies.find(c, studyId).orElseThrow(() -> new UnknownStudyException(studyId));
    return plane.tx(c, row, plane.now()).orElseThrow(() -> new UnknownStudyException(studyId));
  }
}
