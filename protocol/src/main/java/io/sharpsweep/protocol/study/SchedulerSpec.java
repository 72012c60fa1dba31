package io.sharpsweep.protocol.study;

import io.sharpsweep.protocol.fidelity.Schedule;
import io.sharpsweep.protocol.fidelity.Schedules;
import io.sharpsweep.protocol.fidelity.SingleRung;

/**
 * The multi-fidelity schedule of a study: {@code type} names a registered {@link Schedule} ({@link
 * Schedules}); {@code none} trains every trial for {@code maxEpochs}, the successive-halving family
 * trains in segments between rungs at {@code minEpochs·eta^k} epochs (see {@link FidelityLadder}).
 */
public record SchedulerSpec(String type, Integer minEpochs, Integer maxEpochs, Integer eta) {
  public static final int DEFAULT_MIN_EPOCHS = 1;
  public static final int DEFAULT_ETA = 3;

  public String typeOrDefault() {
    return type == null ? SingleRung.TYPE : type;
  }

  /** Whether trials run in segments between rungs (false for {@code none} and unknown types). */
  public boolean multiFidelity() {
    return Schedules.find(typeOrDefault()).map(Schedule::multiFidelity).orElse(false);
  }

  public int minEpochsOrDefault() {
    return minEpochs == null ? DEFAULT_MIN_EPOCHS : minEpochs;
  }

  public int etaOrDefault() {
    return eta == null ? DEFAULT_ETA : eta;
  }
}
