package io.sharpsweep.worker.sam.policy;

import io.sharpsweep.worker.sam.GradientInfo;
import io.sharpsweep.worker.sam.StatefulStrategy;

/**
 * The step policy of the two-pass step (docs/sam-variants.md#strategies): whether iteration {@code
 * t} is a SAM (two-pass) step or an ERM step. Called exactly once per iteration, after pass 1.
 */
public interface StepPolicy extends StatefulStrategy {
  /**
   * @param t the iteration, from 0 over the whole trial
   * @param totalIterations {@code T}, the trial's planned iterations
   * @param g pass 1's gradient (AE-SAM reads its squared norm)
   */
  boolean samStep(long t, long totalIterations, GradientInfo g);
}
