package io.sharpsweep.protocol.fidelity;

import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.FidelityLadder.Bracket;
import java.util.List;

/**
 * A multi-fidelity schedule, the extension point behind a study spec's {@code scheduler.type}: how
 * trials are grouped into brackets and, told that a trial arrived at a rung (a result, or a
 * permanent failure on the way), what follows. A segment end frees one slot; the caller fills it
 * with the promotions returned, else with a new configuration.
 *
 * <p>The verdicts come in publication order: promotions first (best first; possibly of other,
 * parked trials), then the arriving trial's own {@code PARK} or {@code COMPLETE} unless it was
 * promoted. A failure gets no verdict of its own. A schedule keeps no state: the rungs, {@code eta}
 * and the budget of trials are the {@link FidelityLadder}'s, everything that arrived is in the
 * {@link FidelityState}, so one instance serves every study and a restarted store decides the same.
 *
 * <p>Add a schedule by writing one class and registering it in {@link Schedules}; the conformance
 * suite ({@code ScheduleConformanceTest}) then runs on it. docs/extending.md lists the steps.
 */
public interface Schedule {
  /** The name a study spec gives in {@code scheduler.type}. */
  String type();

  /**
   * Whether trials train in segments between rungs; false for a schedule that trains every trial to
   * {@code maxEpochs} in one segment (a ladder of a single rung).
   */
  default boolean multiFidelity() {
    return true;
  }

  /** Whether a rung's promotions wait for every trial of its bracket. */
  default boolean synchronous() {
    return false;
  }

  /**
   * The number of objectives a rung is ranked by when it must be exact, else 0 (the first objective
   * of any study).
   */
  default int rankedObjectives() {
    return 0;
  }

  /** Whether every trial is in bracket 0, so that no trial number is needed to place it. */
  default boolean singleBracket() {
    return true;
  }

  /**
   * Bracket {@code index} (its size cut to the ladder's budget of trials). By default one bracket
   * of every trial, starting at rung 0.
   */
  default Bracket bracket(FidelityLadder ladder, int index) {
    if (index != 0) {
      throw new IllegalArgumentException(
          "scheduler '" + type() + "' has one bracket, asked for bracket " + index);
    }
    return new Bracket(0, ladder.topRung(), 0, 0, ladder.trials());
  }

  /** The bracket trial {@code number} (0-based, in creation order) belongs to. */
  default Bracket bracketOf(FidelityLadder ladder, int number) {
    return bracket(ladder, 0);
  }

  /**
   * Records {@code entry} in {@code state} and returns the verdicts it leads to.
   *
   * @param ladder the study's ladder, built for this schedule
   */
  List<Verdict> onResult(FidelityLadder ladder, FidelityState state, RungEntry entry);

  /**
   * Whether {@link #onResult} reads the study's other entries. A schedule whose verdict depends on
   * the new entry alone is handed a state without them, so the store need not read the study's rung
   * results for each arrival.
   */
  default boolean readsState() {
    return true;
  }

  /** Checks that the ladder is this schedule's and that an entry fits it and its bracket. */
  static void check(Schedule schedule, FidelityLadder ladder, RungEntry e) {
    if (!ladder.type().equals(schedule.type())) {
      throw new IllegalArgumentException(
          "scheduler '" + schedule.type() + "' got a ladder of '" + ladder.type() + "'");
    }
    if (e.rung() < 0 || e.rung() > ladder.topRung()) {
      throw new IllegalArgumentException(
          "rung must be in [0, "
              + ladder.topRung()
              + "], got "
              + e.rung()
              + " for trial "
              + e.trialId());
    }
    int minRung = ladder.bracket(e.bracket()).minRung();
    if (e.rung() < minRung) {
      throw new IllegalArgumentException(
          "trial "
              + e.trialId()
              + " of bracket "
              + e.bracket()
              + " starts at rung "
              + minRung
              + ", got a result at rung "
              + e.rung());
    }
  }
}
