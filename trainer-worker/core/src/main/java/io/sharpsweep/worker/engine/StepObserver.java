package io.sharpsweep.worker.engine;

import io.sharpsweep.worker.sam.StepStats;

/**
 * Sees every training iteration (progress bars, step-time statistics). Called on the training
 * thread after the iteration's arrays are freed; must be quick.
 */
@FunctionalInterface
public interface StepObserver {
  StepObserver NONE = (epoch, iteration, iterationsPerEpoch, stats, nanos) -> {};

  /**
   * @param epoch the epoch being trained (from 1)
   * @param iteration the iteration within the epoch (from 0)
   * @param nanos wall time of the iteration: batch gather, the rule's passes, the optimizer step
   *     and freeing the step's arrays
   */
  void onStep(int epoch, int iteration, int iterationsPerEpoch, StepStats stats, long nanos);
}
