package io.sharpsweep.worker.sam.policy;

import io.sharpsweep.worker.sam.GradientInfo;

/**
 * SAM iff {@code t mod k == 0} (phase 0, as LookSAM; docs/sam-variants.md#sam-k): iteration 0 is a
 * SAM step, so LookSAM always has a stored direction before its first reuse step. Stateless: {@code
 * t} comes from the optimizer's step counter, which checkpoints carry.
 */
public final class PeriodicSam implements StepPolicy {
  private final int k;

  public PeriodicSam(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.k = k;
  }

  public int k() {
    return k;
  }

  @Override
  public boolean samStep(long t, long totalIterations, GradientInfo g) {
    return t % k == 0;
  }
}
