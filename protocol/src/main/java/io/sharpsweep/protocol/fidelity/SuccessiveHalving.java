package io.sharpsweep.protocol.fidelity;

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
 * by another trial's arrival. {@link Hyperband} runs each of its brackets this way.
 */
public class SuccessiveHalving implements Schedule {
  public static final String TYPE = "sha";

  private final RungRanking ranking = ScalarRanking.INSTANCE;

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean synchronous() {
    return true;
  }

  @Override
  public boolean singleBracket() {
    return false;
  }

  /**
   * Brackets of {@code eta^K} trials, the size that leaves one trial at the last rung, all starting
   * at rung 0, one after another.
   */
  @Override
  public Bracket bracket(FidelityLadder ladder, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("bracket index must be at least 0, got " + index);
    }
    long size = size(ladder);
    return ladder.cutToBudget(index, ladder.topRung(), 0, (long) index * size, size);
  }

  @Override
  public Bracket bracketOf(FidelityLadder ladder, int number) {
    return bracket(ladder, (int) (number / size(ladder)));
  }

  private static long size(FidelityLadder ladder) {
    return ladder.etaPow(ladder.topRung());
  }

  @Override
  public List<Verdict> onResult(FidelityLadder ladder, FidelityState state, RungEntry entry) {
    Schedule.check(this, ladder, entry);
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
