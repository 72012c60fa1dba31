package io.sharpsweep.worker.sam;

import io.sharpsweep.worker.data.Batch;

/**
 * Variant {@code sgd}: one gradient evaluation, the base optimizer's step with the data-loss
 * gradient.
 */
public final class SgdStep implements StepRule {
  @Override
  public StepStats step(TrainingContext ctx, Batch batch) {
    ctx.zeroGradients();
    double loss = ctx.forwardBackward(batch);
    ctx.optimizer().step(ctx.weights(), ctx.gradients());
    return StepStats.erm(loss);
  }
}
