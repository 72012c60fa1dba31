package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.sam.direction.PerturbedGradient;
import io.sharpsweep.worker.sam.perturbation.EuclideanPerturbation;
import io.sharpsweep.worker.sam.policy.RandomSwitching;
import io.sharpsweep.worker.sam.selection.FullBatch;
import java.util.List;

/**
 * Variant {@code rst}: randomized switching between SAM and SGD (RST / SS-SAM, Zhao, Zhang, Hu
 * 2022; docs/sam-variants.md#rst) — each iteration is a SAM step with probability {@code p}, drawn
 * from a stream seeded by the trial seed. Bernoulli + Euclidean + full batch + {@code g_s}.
 */
public final class Rst extends SharpnessAwareStep {
  public static final Variant VARIANT =
      new Variant(
          "rst",
          List.of(KnobCatalogue.RHO, KnobCatalogue.P),
          (k, seed) -> new Rst(VariantKnobs.rho(k, "rst"), VariantKnobs.p(k), seed));

  public Rst(double rho, double p, long seed) {
    super(
        new RandomSwitching(p, seed),
        new EuclideanPerturbation(rho),
        FullBatch.INSTANCE,
        PerturbedGradient.INSTANCE);
  }
}
