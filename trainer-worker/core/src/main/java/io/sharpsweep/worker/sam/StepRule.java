package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDManager;
import io.sharpsweep.worker.data.Batch;

/**
 * One optimizer variant's iteration (docs/sam-variants.md#the-two-pass-step): given a batch,
 * compute the gradient(s) it needs through {@link TrainingContext#forwardBackward} and finish with
 * exactly one {@code ctx.optimizer().step(…)}. The variants are compositions of small strategies in
 * {@link SharpnessAwareStep}; adding one is one class.
 *
 * <p>Contract every implementation keeps: zero the gradients before each backward (DJL
 * accumulates); edit weights (perturb, restore) only outside a backward, and restore by exact copy;
 * snapshot/restore batch-norm running statistics around every forward after the first; call the
 * base optimizer once per iteration.
 */
public interface StepRule {

  StepStats step(TrainingContext ctx, Batch batch);

  /** Writes what the rule carries across iterations (moments, RNG states, stored tensors). */
  default void saveState(RuleState out) {}

  /**
   * Restores what {@link #saveState} wrote; tensors the rule keeps are copied into {@code manager},
   * which lives as long as the trial.
   */
  default void loadState(RuleState in, NDManager manager) {}
}
