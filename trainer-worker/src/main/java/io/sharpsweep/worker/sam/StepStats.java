package io.sharpsweep.worker.sam;

/**
 * What one iteration did: the mini-batch loss at the unperturbed weights (pass 1) and whether it
 * was a SAM (two-pass) step. Forward/backward counts are kept by the context, not reported here, so
 * a rule cannot miscount them.
 */
public record StepStats(double loss, boolean samStep) {
  public static StepStats erm(double loss) {
    return new StepStats(loss, false);
  }

  public static StepStats sam(double loss) {
    return new StepStats(loss, true);
  }
}
