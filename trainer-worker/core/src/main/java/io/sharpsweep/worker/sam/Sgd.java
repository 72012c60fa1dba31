package io.sharpsweep.worker.sam;

import io.sharpsweep.worker.sam.direction.PerturbedGradient;
import io.sharpsweep.worker.sam.perturbation.EuclideanPerturbation;
import io.sharpsweep.worker.sam.policy.NeverSam;
import io.sharpsweep.worker.sam.selection.FullBatch;
import java.util.List;

/** Variant {@code sgd}: one gradient evaluation, the base optimizer's step with {@code g}. */
public final class Sgd extends SharpnessAwareStep {
  public static final Variant VARIANT = new Variant("sgd", List.of(), (k, seed) -> new Sgd());

  public Sgd() {
    super(
        NeverSam.INSTANCE,
        new EuclideanPerturbation(0),
        FullBatch.INSTANCE,
        PerturbedGradient.INSTANCE);
  }
}
