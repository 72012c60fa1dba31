package io.sharpsweep.store.fidelity;

import io.sharpsweep.protocol.study.FidelityLadder;
import java.util.List;

/** {@code none}: one rung at {@code maxEpochs}; a trial that reaches it is complete. */
public final class SingleRung implements RungScheduler {
  private final FidelityLadder ladder;

  public SingleRung(FidelityLadder ladder) {
    this.ladder = ladder;
  }

  @Override
  public boolean readsState() {
    return false;
  }

  @Override
  public List<Verdict> onResult(FidelityState state, RungEntry entry) {
    RungScheduler.check(ladder, entry);
    state.add(entry);
    return entry.failed()
        ? List.of()
        : List.of(Verdict.complete(entry.trialId(), entry.rung(), ladder.epochOf(entry.rung())));
  }
}
