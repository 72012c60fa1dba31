package io.sharpsweep.protocol.fidelity;

import io.sharpsweep.protocol.study.FidelityLadder;
import java.util.List;

/** {@code none}: one rung at {@code maxEpochs}; a trial that reaches it is complete. */
public final class SingleRung implements Schedule {
  public static final String TYPE = "none";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean multiFidelity() {
    return false;
  }

  @Override
  public boolean readsState() {
    return false;
  }

  @Override
  public List<Verdict> onResult(FidelityLadder ladder, FidelityState state, RungEntry entry) {
    Schedule.check(this, ladder, entry);
    state.add(entry);
    return entry.failed()
        ? List.of()
        : List.of(Verdict.complete(entry.trialId(), entry.rung(), ladder.epochOf(entry.rung())));
  }
}
