package io.sharpsweep.worker.sam.selection;

import ai.djl.ndarray.NDArray;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.sam.StatefulStrategy;
import io.sharpsweep.worker.sam.TrainingContext;

/**
 * The pass-2 data of the two-pass step (docs/sam-variants.md#strategies): the examples whose
 * gradient at {@code w + e} drives the update. Called with the weights perturbed and the batch-norm
 * statistics already saved.
 */
public interface Pass2Data extends StatefulStrategy {
  /** Whether {@link #select} needs pass 1's per-example losses. */
  default boolean needsLossesBeforePerturbation() {
    return false;
  }

  /**
   * @param lossesBefore pass 1's per-example losses, if {@link #needsLossesBeforePerturbation()}
   */
  Batch select(TrainingContext ctx, Batch batch, NDArray lossesBefore);
}
