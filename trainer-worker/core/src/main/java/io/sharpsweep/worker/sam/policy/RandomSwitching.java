package io.sharpsweep.worker.sam.policy;

import ai.djl.ndarray.NDManager;
import io.sharpsweep.worker.sam.GradientInfo;
import io.sharpsweep.worker.sam.RuleState;

/**
 * RST / SS-SAM (Zhao, Zhang, Hu 2022; docs/sam-variants.md#rst): each iteration draws {@code u ~
 * U[0,1)} from its own seeded stream and is a SAM step iff {@code u < p} (constant schedule). One
 * draw per iteration whatever the outcome, so the decisions depend only on (seed, t).
 */
public final class RandomSwitching implements StepPolicy {
  /** Stream id of the decision RNG (independent of ESAM's mask and the data order). */
  public static final long STREAM = 0x5257_5354L;

  private static final String STATE = "random.state";
  private final double p;
  private final SeededStream rng;

  public RandomSwitching(double p, long seed) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("p must be in [0, 1], got " + p);
    }
    this.p = p;
    this.rng = new SeededStream(seed, STREAM);
  }

  @Override
  public boolean samStep(long t, long totalIterations, GradientInfo g) {
    return rng.nextDouble() < p;
  }

  @Override
  public void saveState(RuleState out) {
    out.putInteger(STATE, rng.state());
  }

  @Override
  public void loadState(RuleState in, NDManager manager) {
    rng.setState(in.integer(STATE));
  }
}
