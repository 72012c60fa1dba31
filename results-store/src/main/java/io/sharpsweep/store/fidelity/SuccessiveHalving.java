package io.sharpsweep.store.fidelity;

import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.FidelityLadder.Bracket;
import java.util.ArrayList;
import java.util.List;

/**
 * Synchronous successive halving (Jamieson and Talwalkar 2016), bracket by bracket. A rung of a
 * bracket is decided once every trial expected there has arrived (a result or a permanent failure):
 * at the bracket's first rung its {@code size} trials, above it the trials promoted from the rung
 * below. Then the best {@code max(1, floor(n/eta))} of its {@code n} results go on to the next rung
 * (at least one, so that every bracket ends with a trial at {@code maxEpochs}); the others stay
 * parked. A trial that arrives before its rung is decided is parked too and may be promoted later
 * by another trial's arrival.
 */
public final class SuccessiveHalving implements RungScheduler {
  private final FidelityLadder ladder;
  private final RungRanking ranking;

  public SuccessiveHalving(FidelityLadder ladder, RungRanking ranking) {
    if (!ladder.synchronous()) {
      throw new IllegalArgumentException(
          "synchronous successive halving needs a sha, hyperband or bohb ladder, got "
              + ladder.type());
    }
    this.ladder = ladder;
    this.ranking = ranking;
  }

  @Override
  public List<Verdict> onResult(FidelityState state, RungEntry entry) {
    RungScheduler.check(ladder, entry);
    state.add(entry);
    int k = entry.rung();
    List<Verdict> out = new ArrayList<>();
    if (k < ladder.topRung()) {
      Bracket bracket = ladder.bracket(entry.bracket());
      int expected =
          k == bracket.minRung() ? bracket.size() : state.promotedFrom(bracket.index(), k - 1);
      List<RungEntry> arrived = state.rung(bracket.index(), k);
      // Exactly at the last arrival: a rung is decided once, later strays (none expected) just
      // park.
      if (arrived.size() == expected) {
        List<RungEntry> ranked = ranking.rank(arrived.stream().filter(e -> !e.failed()).toList());
        int m = ranked.isEmpty() ? 0 : Math.max(1, ranked.size() / ladder.eta());
        for (RungEntry e : ranked.subList(0, m)) {
          e.markPromoted();
          out.add(Verdict.promote(e.trialId(), k, ladder.epochOf(k), ladder.epochOf(k + 1)));
        }
      }
    }
    if (!entry.failed() && !entry.promoted()) {
      out.add(
          k == ladder.topRung()
              ? Verdict.complete(entry.trialId(), k, ladder.epochOf(k))
              : Verdict.park(entry.trialId(), k, ladder.epochOf(k)));
    }
    return out;
  }
}
