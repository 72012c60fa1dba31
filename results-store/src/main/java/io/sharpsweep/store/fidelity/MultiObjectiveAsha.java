package io.sharpsweep.store.fidelity;

import io.sharpsweep.protocol.study.FidelityLadder;

/**
 * ASHA over two objectives: each rung is ranked by {@link ParetoRanking} (non-dominated fronts,
 * then hypervolume contribution against the rung's nadir-plus-a-tenth reference point), so that an
 * accuracy-versus-cost study promotes the trials on or near the front of each rung instead of the
 * most accurate alone.
 */
public final class MultiObjectiveAsha extends AsyncSuccessiveHalving {
  public MultiObjectiveAsha(FidelityLadder ladder) {
    super(ladder, ParetoRanking.INSTANCE);
  }
}
