package io.sharpsweep.worker.sam.direction;

/** {@code d = g_s} on SAM steps, {@code d = g} on ERM steps. */
public final class PerturbedGradient implements DirectionRule {
  public static final PerturbedGradient INSTANCE = new PerturbedGradient();

  private PerturbedGradient() {}
}
