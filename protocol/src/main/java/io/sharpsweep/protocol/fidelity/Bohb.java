package io.sharpsweep.protocol.fidelity;

/**
 * BOHB (Falkner et al. 2018): Hyperband's brackets and promotions, with new configurations proposed
 * by a model-based sampler that learns from the results of one rung. The decisions are {@link
 * Hyperband}'s; the sampler's side is the store's ({@code SuggestPlan}, by the rule of {@link
 * io.sharpsweep.protocol.study.FidelityLadder#modelRung}), which feeds every multi-fidelity study's
 * sampler the same way, so {@code hyperband} with a model-based sampler behaves as {@code bohb}.
 * BOHB's random fraction (a third of the configurations drawn at random) is left out
 * (docs/multi-fidelity.md, BOHB).
 */
public final class Bohb extends Hyperband {
  public static final String TYPE = "bohb";

  @Override
  public String type() {
    return TYPE;
  }
}
