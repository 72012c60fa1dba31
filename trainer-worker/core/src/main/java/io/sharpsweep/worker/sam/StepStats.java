package io.sharpsweep.worker.sam;

/**
 * What one iteration did: the mini-batch loss at the unperturbed weights (pass 1), whether it was a
 * SAM (two-pass) step, and the loss pass 2 saw at the perturbed weights (NaN on an ERM step).
 * Forward/backward counts are kept by the context, not reported here, so a rule cannot miscount
 * them.
 */
public record StepStats(double loss, boolean samStep, double perturbedLoss) {
  public static StepStats erm(double loss) {
    return new StepStats(loss, false, Double.NaN);
  }

  public static StepStats sam(double loss, double perturbedLoss) {
    return new StepStats(loss, true, perturbedLoss);
  }
}
