package io.sharpsweep.worker.sam.policy;

import io.sharpsweep.worker.sam.GradientInfo;

/** No iteration is a SAM step (plain SGD). */
public final class NeverSam implements StepPolicy {
  public static final NeverSam INSTANCE = new NeverSam();

  private NeverSam() {}

  @Override
  public boolean samStep(long t, long totalIterations, GradientInfo g) {
    return false;
  }
}
