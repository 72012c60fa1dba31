package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.fidelity.FidelityState;
import io.sharpsweep.protocol.fidelity.RungEntry;
import io.sharpsweep.protocol.fidelity.Schedule;
import io.sharpsweep.protocol.fidelity.Verdict;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.RungDecision.Action;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.FidelityLadder.Bracket;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.ObjectiveValues;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.store.control.Promotion;
import io.sharpsweep.store.db.DecisionRepository;
import io.sharpsweep.store.db.DecisionRow;
import io.sharpsweep.store.db.NewRungResult;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.RungResultRepository;
import io.sharpsweep.store.db.RungResultRow;
import io.sharpsweep.store.db.StoredReport;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.db.TrialState;
import io.sharpsweep.store.query.ObjectiveChoice;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The multi-fidelity part of ingestion, run inside the caller's transaction (which holds the
 * study's row lock): records a trial's arrival at a rung in {@code rung_results}, rebuilds the
 * study's {@link FidelityState} from those rows, runs the study's {@link Schedule} and writes back
 * what it decided — promoted flags, trial states and one {@code decisions} row per verdict,
 * promotions first. Nothing is kept in memory between calls, so a restarted store decides exactly
 * as the one before it.
 *
 * <p>An epoch ends a segment when it is a rung of the trial's bracket at or above the bracket's
 * first rung (segments run rung to rung), computed from the study's spec ({@link FidelityLadder});
 * {@code none} studies end at the final report. A report whose study spec or (for bracketed
 * schedules) trial number is not known yet decides nothing; the {@code study-created} / {@code
 * trial-created} event runs {@link #catchUp} for it.
 */
public final class RungBookkeeping {
  /**
   * Rung of a decision taken while the store does not know the study's schedule yet (the whole
   * trial is one rung).
   */
  static final int SINGLE_RUNG = 0;

  private final TrialRepository trials = new TrialRepository();
  private final ReportRepository reports = new ReportRepository();
  private final RungResultRepository rungs = new RungResultRepository();
  private final DecisionRepository decisions = new DecisionRepository();

  /**
   * After an epoch report was stored and the trial's status updated ({@code trial} is the row after
   * the update, as stored: the caller holds its lock and flushed its writes, so the trial's own
   * verdict moves it from this row instead of reading it again).
   *
   * @param spec the study's spec, or null while the store knows the study only from its reports
   */
  public List<Promotion> afterReport(
      Connection c, StudySpec spec, TrialRow trial, EpochReport r, Instant now)
      throws SQLException {
    if (r.attempt() != trial.attempt()) {
      return List.of(); // a straggler of an older attempt: the newer attempt's results count
    }
    if (spec == null) {
      // Without a schedule, a final report completes the trial; its rung result follows the spec.
      if (r.finalEpoch() && trial.state() == TrialState.COMPLETED) {
        decisions.record(
            c,
            r.studyId(),
            r.trialId(),
            r.attempt(),
            r.epoch(),
            SINGLE_RUNG,
            Action.COMPLETE,
            null,
            now);
      }
      return List.of();
    }
    FidelityLadder ladder = FidelityLadder.of(spec);
    Optional<Bracket> bracket = bracket(ladder, trial);
    if (bracket.isEmpty()) {
      return List.of();
    }
    int rung;
    if (ladder.multiFidelity()) {
      rung = ladder.rungOf(r.epoch());
      if (rung < bracket.get().minRung()) {
        return List.of(); // mid-segment epoch (or below the bracket's first rung)
      }
    } else if (r.finalEpoch()) {
      rung = SINGLE_RUNG;
    } else {
      return List.of();
    }
    return arrive(
        c,
        spec,
        ladder,
        Arrival.report(trial, bracket.get(), rung, r.epoch(), r.attempt(), r.metrics(), r.cost()),
        trial,
        now);
  }

  /**
   * Whether {@link #afterReport} would read or write anything for this report: false for a
   * straggler of an older attempt, a mid-segment epoch, and (without a spec) a report that does not
   * complete its trial, for which it returns no promotions without touching the database. {@code
   * ladder} is the spec's, null without a spec.
   */
  public static boolean mayDecide(
      StudySpec spec, FidelityLadder ladder, TrialRow trial, EpochReport r) {
    if (r.attempt() != trial.attempt()) {
      return false;
    }
    if (spec == null) {
      return r.finalEpoch() && trial.state() == TrialState.COMPLETED;
    }
    Optional<Bracket> bracket = bracket(ladder, trial);
    if (bracket.isEmpty()) {
      return false;
    }
    if (ladder.multiFidelity()) {
      return ladder.rungOf(r.epoch()) >= bracket.get().minRung();
    }
    return r.finalEpoch();
  }

  /**
   * Before the {@code failed} decision of a failure is recorded: a permanent failure (the study's
   * last attempt) is the trial's arrival at the rung its segment was heading to, so a synchronous
   * rung stops waiting for it; its promotions are recorded now, ahead of the failure, like any
   * other arrival's.
   *
   * @return the rung of the failed decision and the promotions recorded ahead of it
   */
  public FailureArrival beforeFailure(
      Connection c, StudySpec spec, TrialRow trial, int attempt, int fromEpoch, Instant now)
      throws SQLException {
    if (spec == null) {
      return new FailureArrival(SINGLE_RUNG, List.of());
    }
    FidelityLadder ladder = FidelityLadder.of(spec);
    Optional<Bracket> bracket = bracket(ladder, trial);
    if (bracket.isEmpty()) {
      return new FailureArrival(SINGLE_RUNG, List.of());
    }
    int rung = failureRung(ladder, bracket.get(), fromEpoch);
    List<Promotion> promotions = List.of();
    if (rung >= 0 && attempt >= maxAttempts(spec) && attempt == trial.attempt()) {
      promotions =
          arrive(
              c,
              spec,
              ladder,
              Arrival.failure(trial, bracket.get(), rung, ladder.epochOf(rung), attempt),
              null,
              now);
    }
    return new FailureArrival(Math.max(rung, SINGLE_RUNG), promotions);
  }

  /**
   * Decides what reports and failures could not decide when they arrived (no spec, or no trial
   * number yet), trial by trial in number order. Idempotent: arrivals already recorded are skipped.
   *
   * @param onlyTrial the one trial to look at (its number just arrived), or null for every trial of
   *     the study
   * @return the promotions recorded
   */
  public List<Promotion> catchUp(
      Connection c, String studyId, StudySpec spec, String onlyTrial, Instant now)
      throws SQLException {
    List<Promotion> out = new ArrayList<>();
    if (spec == null) {
      return out;
    }
    FidelityLadder ladder = FidelityLadder.of(spec);
    List<TrialRow> candidates =
        onlyTrial == null
            ? trials.listByStudy(c, studyId)
            : trials.find(c, studyId, onlyTrial).map(List::of).orElse(List.of());
    for (TrialRow trial : candidates) {
      Optional<Bracket> bracket = bracket(ladder, trial);
      if (bracket.isPresent()) {
        out.addAll(catchUpTrial(c, spec, ladder, trial, bracket.get(), now));
      }
    }
    return out;
  }

  /**
   * {@link #catchUp} for one trial: the stored reports of its current attempt that end a segment,
   * then a permanent failure, which arrives at the rung its segment was heading to.
   */
  private List<Promotion> catchUpTrial(
      Connection c,
      StudySpec spec,
      FidelityLadder ladder,
      TrialRow trial,
      Bracket bracket,
      Instant now)
      throws SQLException {
    List<Promotion> out = new ArrayList<>();
    for (StoredReport r : reports.listByTrial(c, trial.trialId())) {
      if (r.attempt() != trial.attempt()) {
        continue;
      }
      int rung =
          ladder.multiFidelity() ? ladder.rungOf(r.epoch()) : (r.finalEpoch() ? SINGLE_RUNG : -1);
      if (rung >= bracket.minRung()) {
        Arrival arrival =
            Arrival.report(trial, bracket, rung, r.epoch(), r.attempt(), r.metrics(), r.cost());
        out.addAll(arrive(c, spec, ladder, arrival, null, now));
      }
    }
    if (trial.state() == TrialState.FAILED && trial.attempt() >= maxAttempts(spec)) {
      Optional<DecisionRow> failure =
          decisions.findLatest(c, trial.trialId(), trial.attempt(), Action.FAILED);
      int rung = failure.isPresent() ? failureRung(ladder, bracket, failure.get().epoch()) : -1;
      if (rung >= 0) {
        Arrival arrival =
            Arrival.failure(trial, bracket, rung, ladder.epochOf(rung), trial.attempt());
        out.addAll(arrive(c, spec, ladder, arrival, null, now));
      }
    }
    return out;
  }

  /**
   * The study's decisions not yet acknowledged by the broker, as messages, in the order they were
   * taken.
   */
  public List<PendingDecision> unpublished(Connection c, String studyId) throws SQLException {
    List<PendingDecision> out = new ArrayList<>();
    List<DecisionRow> rows = decisions.unpublished(c, studyId);
    // Built from the stored (first) copy of the report, so a republished decision carries the same
    // numbers; the reports of all of them in one query.
    List<DecisionRow> withReport = rows.stream().filter(d -> d.action() != Action.FAILED).toList();
    Map<String, StoredReport> stored =
        withReport.isEmpty()
            ? Map.of()
            : reports.findAll(
                c,
                withReport.stream().map(DecisionRow::trialId).toList(),
                withReport.stream().map(DecisionRow::attempt).toList(),
                withReport.stream().map(DecisionRow::epoch).toList());
    for (DecisionRow d : rows) {
      Metrics metrics = null;
      Cost cost = null;
      String checkpoint = null;
      StoredReport s =
          d.action() == Action.FAILED
              ? null
              : stored.get(ReportRepository.key(d.trialId(), d.attempt(), d.epoch()));
      if (s != null) {
        metrics = s.metrics();
        cost = s.cost();
        checkpoint = s.checkpointUri();
      }
      out.add(
          new PendingDecision(
              d.id(),
              new RungDecision(
                  SchemaVersion.CURRENT,
                  d.studyId(),
                  d.trialId(),
                  d.attempt(),
                  d.rung(),
                  d.epoch(),
                  d.action(),
                  metrics,
                  cost,
                  checkpoint,
                  d.reason(),
                  d.nextEpoch())));
    }
    return out;
  }

  /**
   * Records one arrival and, if it is new, runs the scheduler core over the study's rows and stores
   * its verdicts. Duplicates (a redelivered report) change nothing: the first arrival at a rung
   * wins.
   *
   * @param current the arriving trial's row as stored now, or null to read it when a verdict moves
   *     it
   */
  private List<Promotion> arrive(
      Connection c, StudySpec spec, FidelityLadder ladder, Arrival a, TrialRow current, Instant now)
      throws SQLException {
    List<Objective> objectives = objectives(spec);
    Optional<RungResultRow> inserted = insert(c, objectives, a, now);
    if (inserted.isEmpty()) {
      return List.of();
    }
    Schedule scheduler = ladder.schedule();
    Map<String, RungResultRow> rows = new HashMap<>();
    rows.put(key(a.trialId(), a.rung()), inserted.get());
    List<RungEntry> earlier = new ArrayList<>();
    if (scheduler.readsState()) {
      for (RungResultRow row : rungs.listByStudy(c, a.studyId())) {
        rows.put(key(row.trialId(), row.rung()), row);
        if (row.id() != inserted.get().id()) {
          earlier.add(entry(objectives, row));
        }
      }
    }
    FidelityState state = FidelityState.of(earlier);
    List<Verdict> verdicts = scheduler.onResult(ladder, state, entry(objectives, inserted.get()));
    return apply(c, a.studyId(), verdicts, rows, current, now);
  }

  /** The arrival's {@code rung_results} row with its objective values; empty if already there. */
  private Optional<RungResultRow> insert(
      Connection c, List<Objective> objectives, Arrival a, Instant now) throws SQLException {
    Double o1 = a.failed() ? null : value(objectives.get(0), a.metrics(), a.cost());
    Double o2 =
        a.failed() || objectives.size() < 2
            ? null
            : value(objectives.get(1), a.metrics(), a.cost());
    NewRungResult row =
        new NewRungResult(
            a.studyId(),
            a.trialId(),
            a.bracket().index(),
            a.rung(),
            a.epoch(),
            a.attempt(),
            o1,
            o2,
            a.failed());
    return rungs.insert(c, row, now);
  }

  /**
   * Stores the verdicts, promotions first as the core ordered them: promoted flags, one {@code
   * decisions} row each and the trials' new states.
   *
   * @param rows the study's rung results by {@link #key}
   * @param current a trial's row as stored now (or null): the first verdict on that trial moves it
   *     from this row, later ones read it again
   */
  private List<Promotion> apply(
      Connection c,
      String studyId,
      List<Verdict> verdicts,
      Map<String, RungResultRow> rows,
      TrialRow current,
      Instant now)
      throws SQLException {
    List<Promotion> promotions = new ArrayList<>();
    TrialRow known = current;
    for (Verdict v : verdicts) {
      RungResultRow at = rows.get(key(v.trialId(), v.rung()));
      if (v.action() == Action.PROMOTE) {
        rungs.markPromoted(c, v.trialId(), v.rung(), now);
        promotions.add(promotion(c, v, at));
      }
      decisions.record(
          c,
          studyId,
          v.trialId(),
          at.attempt(),
          at.epoch(),
          v.rung(),
          v.action(),
          null,
          v.toEpoch(),
          now);
      Optional<TrialRow> trial;
      if (known != null && known.trialId().equals(v.trialId())) {
        trial = Optional.of(known);
        known = null; // moving it may change it
      } else {
        trial = trials.find(c, studyId, v.trialId());
      }
      moveTrial(c, trial, at.attempt(), v.action(), now);
    }
    return promotions;
  }

  /** A promotion with the checkpoint of the stored report it resumes from. */
  private Promotion promotion(Connection c, Verdict v, RungResultRow at) throws SQLException {
    String checkpoint =
        reports
            .find(c, v.trialId(), at.attempt(), at.epoch())
            .map(StoredReport::checkpointUri)
            .orElse(null);
    return new Promotion(
        v.trialId(), at.attempt(), v.rung(), v.fromEpoch(), v.toEpoch(), checkpoint);
  }

  /**
   * A promoted trial runs again, a parked one waits, a completed one is done — unless a newer
   * attempt took over. {@code trial} is its row as stored now.
   */
  private void moveTrial(
      Connection c, Optional<TrialRow> trial, int attempt, Action action, Instant now)
      throws SQLException {
    if (trial.isEmpty()
        || trial.get().attempt() != attempt
        || trial.get().state() == TrialState.FAILED) {
      return;
    }
    TrialState next =
        switch (action) {
          case PROMOTE -> TrialState.RUNNING;
          case PARK -> TrialState.PARKED;
          case COMPLETE -> TrialState.COMPLETED;
          case FAILED -> TrialState.FAILED;
        };
    if (trial.get().state() != next && trial.get().state() != TrialState.COMPLETED) {
      trials.updateState(c, trial.get().trialId(), next, now);
    }
  }

  /** The trial's bracket; empty while a bracketed schedule does not know the trial's number yet. */
  private static Optional<Bracket> bracket(FidelityLadder ladder, TrialRow trial) {
    if (ladder.singleBracket()) {
      return Optional.of(ladder.bracket(0));
    }
    return trial.number() == null
        ? Optional.empty()
        : Optional.of(ladder.bracketOf(trial.number()));
  }

  /** The rung a segment from {@code fromEpoch} was heading to; -1 past the last rung. */
  private static int failureRung(FidelityLadder ladder, Bracket bracket, int fromEpoch) {
    if (!ladder.multiFidelity()) {
      return SINGLE_RUNG;
    }
    int rung = ladder.rungAfter(fromEpoch);
    return rung < 0 ? -1 : Math.max(rung, bracket.minRung());
  }

  private static int maxAttempts(StudySpec spec) {
    return spec.budget() == null
        ? io.sharpsweep.protocol.study.Budget.DEFAULT_MAX_ATTEMPTS
        : spec.budget().maxAttemptsOrDefault();
  }

  /** The study's objectives, or the store's fallback while a spec names none. */
  static List<Objective> objectives(StudySpec spec) {
    if (spec.objectives() == null
        || spec.objectives().isEmpty()
        || spec.objectives().get(0) == null) {
      return List.of(ObjectiveChoice.primary(spec));
    }
    return spec.objectives().stream()
        .map(
            o ->
                ObjectiveChoice.resolve(
                    spec, o.name(), o.goal() == null ? null : o.goal().wireName()))
        .toList();
  }

  private static Double value(Objective objective, Metrics metrics, Cost cost) {
    Double v = ObjectiveValues.of(objective.name(), metrics, cost);
    return v == null || !Double.isFinite(v) ? null : v;
  }

  /** A row as the cores see it: objectives in minimisation form, NaN where missing. */
  private static RungEntry entry(List<Objective> objectives, RungResultRow row) {
    double[] values = new double[objectives.size()];
    Double[] raw = {row.objective1(), row.objective2()};
    for (int i = 0; i < values.length; i++) {
      Double v = i < raw.length ? raw[i] : null;
      values[i] = v == null ? Double.NaN : objectives.get(i).goal() == Goal.MAXIMIZE ? -v : v;
    }
    return new RungEntry(
        row.trialId(),
        row.bracket(),
        row.rung(),
        row.id(),
        row.attempt(),
        values,
        row.failed(),
        row.promoted());
  }

  private static String key(String trialId, int rung) {
    return rung + "#" + trialId;
  }

  /** The rung of a failed decision and the promotions a permanent failure let a rung decide. */
  public record FailureArrival(int rung, List<Promotion> promotions) {}

  /**
   * A trial's arrival at a rung of its bracket: the report that ends a segment there (with its
   * metrics and cost), or a permanent failure on the way to it (without).
   */
  record Arrival(
      String studyId,
      String trialId,
      Bracket bracket,
      int rung,
      int epoch,
      int attempt,
      Metrics metrics,
      Cost cost,
      boolean failed) {

    static Arrival report(
        TrialRow trial, Bracket bracket, int rung, int epoch, int attempt, Metrics m, Cost cost) {
      return new Arrival(
          trial.studyId(), trial.trialId(), bracket, rung, epoch, attempt, m, cost, false);
    }

    static Arrival failure(TrialRow trial, Bracket bracket, int rung, int epoch, int attempt) {
      return new Arrival(
          trial.studyId(), trial.trialId(), bracket, rung, epoch, attempt, null, null, true);
    }
  }
}
