package io.sharpsweep.worker.sam.policy;

import io.sharpsweep.worker.sam.GradientInfo;

/** Every iteration is a SAM step (SAM, ASAM, ESAM, M-SAM). */
public final class AlwaysSam implements StepPolicy {
  public static final AlwaysSam INSTANCE = new AlwaysSam();

  private AlwaysSam() {}

  @Override
  public boolean samStep(long t, long totalIterations, GradientInfo g) {
    return true;
  }
}
