package io.sharpsweep.protocol.fidelity;

import io.sharpsweep.protocol.study.FidelityLadder;
import java.util.ArrayList;
import java.util.List;

/**
 * Asynchronous successive halving, the promotion-based algorithm of Li et al. 2020 ("A System for
 * Massively Parallel Hyperparameter Tuning", Algorithm 2). Every arrival frees a slot, and the slot
 * goes to {@code get_job}: from the highest rung below the last down to rung 0, the candidates of
 * rung {@code k} are its best {@code floor(n_k/eta)} results ({@code n_k} = results at rung {@code
 * k}, failures not counted) that were not promoted yet; the best candidate of the highest such rung
 * is promoted, at most one per arrival. Without one, the slot is for a new configuration at rung 0.
 * A trial that is not promoted is paused ({@code PARK}) and resumes from its checkpoint if a later
 * arrival makes it a candidate — not the stop-only variant that never resumes a trial.
 */
public class AsyncSuccessiveHalving implements Schedule {
  public static final String TYPE = "asha";

  private final RungRanking ranking;

  public AsyncSuccessiveHalving() {
    this(ScalarRanking.INSTANCE);
  }

  protected AsyncSuccessiveHalving(RungRanking ranking) {
    this.ranking = ranking;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Verdict> onResult(FidelityLadder ladder, FidelityState state, RungEntry entry) {
    Schedule.check(this, ladder, entry);
    state.add(entry);
    List<Verdict> out = new ArrayList<>();
    RungEntry promoted = promotable(ladder, state, entry.bracket());
    if (promoted != null) {
      promoted.markPromoted();
      int k = promoted.rung();
      out.add(Verdict.promote(promoted.trialId(), k, ladder.epochOf(k), ladder.epochOf(k + 1)));
    }
    int k = entry.rung();
    if (!entry.failed() && !entry.promoted()) {
      out.add(
          k == ladder.topRung()
              ? Verdict.complete(entry.trialId(), k, ladder.epochOf(k))
              : Verdict.park(entry.trialId(), k, ladder.epochOf(k)));
    }
    return out;
  }

  /**
   * The trial {@code get_job} would promote now, or null: the best unpromoted top-1/eta result of
   * the highest rung.
   */
  public RungEntry promotable(FidelityLadder ladder, FidelityState state, int bracket) {
    for (int k = ladder.topRung() - 1; k >= 0; k--) {
      List<RungEntry> ranked =
          ranking.rank(state.rung(bracket, k).stream().filter(e -> !e.failed()).toList());
      int m = ranked.size() / ladder.eta();
      for (RungEntry e : ranked.subList(0, m)) {
        if (!e.promoted()) {
          return e;
        }
      }
    }
    return null;
  }
}
