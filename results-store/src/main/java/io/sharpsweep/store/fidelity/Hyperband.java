package io.sharpsweep.store.fidelity;

import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.SchedulerSpec;
import java.util.List;

/**
 * Hyperband (Li et al. 2017, "Hyperband: a novel bandit-based approach to hyperparameter
 * optimization"): brackets {@code s = K…0}, bracket {@code s} with {@code n_s =
 * ceil((K+1)·eta^s/(s+1))} trials starting at rung {@code K−s} (see {@link FidelityLadder}), each
 * bracket run as <b>synchronous</b> successive halving, as in the paper. Brackets are filled in
 * order with consecutive trials and overlap in time: while a bracket waits for its last results,
 * free slots start the next bracket's trials.
 */
public class Hyperband implements RungScheduler {
  private final SuccessiveHalving perBracket;

  public Hyperband(FidelityLadder ladder) {
    if (!ladder.type().equals(SchedulerSpec.HYPERBAND)
        && !ladder.type().equals(SchedulerSpec.BOHB)) {
      throw new IllegalArgumentException(
          "Hyperband needs a hyperband or bohb ladder, got " + ladder.type());
    }
    this.perBracket = new SuccessiveHalving(ladder, ScalarRanking.INSTANCE);
  }

  @Override
  public List<Verdict> onResult(FidelityState state, RungEntry entry) {
    return perBracket.onResult(state, entry);
  }
}
