package io.sharpsweep.store.query;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.api.BracketOccupancy;
import io.sharpsweep.protocol.api.RungOccupancy;
import io.sharpsweep.protocol.api.RungsAnswer;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.FidelityLadder.Bracket;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.store.db.RungResultRepository;
import io.sharpsweep.store.db.RungResultRow;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.TrialBrief;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Rung and bracket occupancy of a study, from {@code rung_results} and the trials' states. */
@ApplicationScoped
public class RungQuery {
  private final StoreDatabase db;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final RungResultRepository rungs = new RungResultRepository();

  @Inject
  RungQuery(StoreDatabase db) {
    this.db = db;
  }

  public RungsAnswer occupancy(String studyId) {
    return db.read("counting the rungs of study " + studyId, c -> occupancy(c, studyId));
  }

  private RungsAnswer occupancy(Connection c, String studyId) throws SQLException {
    StudyRow s = studies.find(c, studyId).orElseThrow(() -> new UnknownStudyException(studyId));
    if (s.spec() == null) {
      return new RungsAnswer(
          studyId,
          null,
          null,
          List.of(),
          List.of(),
          List.of(),
          "the store has not received the spec of study '" + studyId + "' yet");
    }
    StudySpec spec = Json.decode(s.spec(), StudySpec.class);
    FidelityLadder ladder = FidelityLadder.of(spec);
    List<RungResultRow> rows = rungs.listByStudy(c, studyId);
    List<TrialBrief> all = trials.briefsByStudy(c, studyId);
    Tally tally = new Tally(ladder);
    tally.countResults(rows);
    tally.countTrials(all);
    return new RungsAnswer(
        studyId,
        ladder.type(),
        ladder.multiFidelity() ? ladder.eta() : null,
        ladder.epochs(),
        tally.rungs(),
        tally.brackets(),
        null);
  }

  /** The counts per rung and the trials created per bracket, filled from the study's rows. */
  private static final class Tally {
    private final FidelityLadder ladder;
    private final int n;
    private final int[] arrived;
    private final int[] promoted;
    private final int[] failed;
    private final int[] parked;
    private final int[] completed;
    private final int[] running;

    /** The highest rung each trial arrived at (failures aside). */
    private final Map<String, Integer> latest = new HashMap<>();

    private final Map<Integer, int[]> created = new TreeMap<>();

    Tally(FidelityLadder ladder) {
      this.ladder = ladder;
      this.n = ladder.rungCount();
      arrived = new int[n];
      promoted = new int[n];
      failed = new int[n];
      parked = new int[n];
      completed = new int[n];
      running = new int[n];
    }

    /** Arrivals, failures and promotions per rung. */
    void countResults(List<RungResultRow> rows) {
      for (RungResultRow r : rows) {
        if (r.failed()) {
          failed[r.rung()]++;
        } else {
          arrived[r.rung()]++;
          latest.merge(r.trialId(), r.rung(), Math::max);
        }
        if (r.promoted()) {
          promoted[r.rung()]++;
        }
      }
    }

    /**
     * Parked and completed trials at the rung they reached, running ones at the rung they head to,
     * and the numbered trials per bracket (after {@link #countResults}).
     */
    void countTrials(List<TrialBrief> all) {
      for (TrialBrief t : all) {
        Integer reached = latest.get(t.trialId());
        Bracket bracket =
            ladder.singleBracket()
                ? ladder.bracket(0)
                : t.number() == null ? null : ladder.bracketOf(t.number());
        if (bracket != null && t.number() != null) {
          created.computeIfAbsent(bracket.index(), b -> new int[1])[0]++;
        }
        if (t.state() == TrialState.PARKED && reached != null) {
          parked[reached]++;
        } else if (t.state() == TrialState.COMPLETED && reached != null) {
          completed[reached]++;
        } else if (t.state() == TrialState.RUNNING && bracket != null) {
          int target = reached == null ? bracket.minRung() : reached + 1;
          if (target < n) {
            running[target]++;
          }
        }
      }
    }

    List<RungOccupancy> rungs() {
      List<RungOccupancy> out = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        out.add(
            new RungOccupancy(
                k,
                ladder.epochOf(k),
                arrived[k],
                promoted[k],
                parked[k],
                completed[k],
                failed[k],
                running[k]));
      }
      return out;
    }

    List<BracketOccupancy> brackets() {
      List<BracketOccupancy> out = new ArrayList<>();
      for (Map.Entry<Integer, int[]> e : created.entrySet()) {
        Bracket b = ladder.bracket(e.getKey());
        out.add(
            new BracketOccupancy(
                b.index(), b.s(), b.minRung(), b.firstNumber(), b.size(), e.getValue()[0]));
      }
      return out;
    }
  }
}
