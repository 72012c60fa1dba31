package io.sharpsweep.store.fidelity;

import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.SchedulerSpec;
import java.util.List;

/**
 * A multi-fidelity scheduler core: told that a trial arrived at a rung (a result, or a permanent
 * failure on the way), it records the entry in the state and says what follows. A segment end frees
 * one slot; the caller fills it with the promotions returned, else with a new configuration.
 *
 * <p>The verdicts come in publication order: promotions first (best first; possibly of other,
 * parked trials), then the arriving trial's own {@code PARK} or {@code COMPLETE} unless it was
 * promoted. A failure gets no verdict of its own. Cores keep no state of their own: everything is
 * in the {@link FidelityState}.
 */
public interface RungScheduler {
  List<Verdict> onResult(FidelityState state, RungEntry entry);

  /**
   * Whether {@link #onResult} reads the study's other entries. A scheduler whose verdict depends on
   * the new entry alone is handed a state without them, so the store need not read the study's rung
   * results for each arrival.
   */
  default boolean readsState() {
    return true;
  }

  /**
   * The core of the ladder's scheduler type, ranking a rung by the first objective ({@code
   * mo-asha}: by both).
   */
  static RungScheduler of(FidelityLadder ladder) {
    return switch (ladder.type()) {
      case SchedulerSpec.NONE -> new SingleRung(ladder);
      case SchedulerSpec.SHA -> new SuccessiveHalving(ladder, ScalarRanking.INSTANCE);
      case SchedulerSpec.ASHA -> new AsyncSuccessiveHalving(ladder, ScalarRanking.INSTANCE);
      case SchedulerSpec.HYPERBAND -> new Hyperband(ladder);
      case SchedulerSpec.BOHB -> new Bohb(ladder);
      case SchedulerSpec.MO_ASHA -> new MultiObjectiveAsha(ladder);
      default -> throw new IllegalArgumentException("unknown scheduler '" + ladder.type() + "'");
    };
  }

  /** Checks that an entry fits the ladder and its bracket. */
  static void check(FidelityLadder ladder, RungEntry e) {
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
