package io.sharpsweep.protocol.fidelity;

/**
 * ASHA over two objectives (Schmucker et al. 2021, "Multi-objective Asynchronous Successive
 * Halving"): each rung is ranked by {@link ParetoRanking} (non-dominated fronts, then hypervolume
 * contribution against the rung's nadir-plus-a-tenth reference point), so that an
 * accuracy-versus-cost study promotes the trials on or near the front of each rung instead of the
 * most accurate alone.
 */
public final class MultiObjectiveAsha extends AsyncSuccessiveHalving {
  public static final String TYPE = "mo-asha";

  public MultiObjectiveAsha() {
    super(ParetoRanking.INSTANCE);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int rankedObjectives() {
    return 2;
  }
}
