package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.sam.direction.PerturbedGradient;
import io.sharpsweep.worker.sam.perturbation.EuclideanPerturbation;
import io.sharpsweep.worker.sam.policy.PeriodicSam;
import io.sharpsweep.worker.sam.selection.FullBatch;
import java.util.List;

/**
 * Variant {@code sam-k}: periodic SAM (docs/sam-variants.md#sam-k) — a SAM step iff {@code t mod k
 * = 0}, plain SGD steps between (the naive scheme LookSAM improves on). Periodic + Euclidean + full
 * batch + {@code g_s}.
 */
public final class SamK extends SharpnessAwareStep {
  public static final Variant VARIANT =
      new Variant(
          "sam-k",
          List.of(KnobCatalogue.RHO, KnobCatalogue.K),
          (k, seed) -> new SamK(VariantKnobs.rho(k, "sam-k"), VariantKnobs.k(k)));

  public SamK(double rho, int k) {
    super(
        new PeriodicSam(k),
        new EuclideanPerturbation(rho),
        FullBatch.INSTANCE,
        PerturbedGradient.INSTANCE);
  }
}
