package io.sharpsweep.protocol.fidelity;

import io.sharpsweep.protocol.messages.RungDecision.Action;

/**
 * What a scheduler core decided about one trial at one rung: {@code PROMOTE} (train from {@code
 * fromEpoch}, the rung's epoch, to {@code toEpoch}, the next rung's), {@code PARK} (wait at the
 * rung, the slot is free) or {@code COMPLETE} (the last rung is reached). {@code toEpoch} is null
 * but for a promotion.
 */
public record Verdict(String trialId, int rung, Action action, int fromEpoch, Integer toEpoch) {
  public static Verdict promote(String trialId, int rung, int fromEpoch, int toEpoch) {
    return new Verdict(trialId, rung, Action.PROMOTE, fromEpoch, toEpoch);
  }

  public static Verdict park(String trialId, int rung, int epoch) {
    return new Verdict(trialId, rung, Action.PARK, epoch, null);
  }

  public static Verdict complete(String trialId, int rung, int epoch) {
    return new Verdict(trialId, rung, Action.COMPLETE, epoch, null);
  }
}
