package io.sharpsweep.worker.sam;

import io.sharpsweep.worker.data.Batch;
import java.util.Map;

/**
 * One optimizer variant's iteration (SAM-VARIANTS.md §1.1, §1.5): given a batch, compute the
 * gradient(s) it needs through {@link TrainingContext#forwardBackward} and finish with exactly one
 * {@code ctx.optimizer().step(…)}. Adding a variant (SAM, ASAM, ESAM, LookSAM, AE-SAM, …) is one
 * class implementing this.
 *
 * <p>Contract every implementation keeps: zero the gradients before each backward (DJL
 * accumulates); edit weights (perturb, restore) only outside a backward, and restore by exact copy;
 * snapshot/restore batch-norm running statistics around every forward after the first; call the
 * base optimizer once per iteration.
 */
public interface StepRule {

  StepStats step(TrainingContext ctx, Batch batch);

  /** Scalars the rule carries across iterations (e.g. AE-SAM's moving moments), for checkpoints. */
  default Map<String, Double> saveState() {
    return Map.of();
  }

  /** Restores what {@link #saveState} returned. */
  default void loadState(Map<String, Double> state) {}
}
