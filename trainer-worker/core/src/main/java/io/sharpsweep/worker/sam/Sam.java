package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.sam.direction.PerturbedGradient;
import io.sharpsweep.worker.sam.perturbation.EuclideanPerturbation;
import io.sharpsweep.worker.sam.policy.AlwaysSam;
import io.sharpsweep.worker.sam.selection.FullBatch;
import java.util.List;

/**
 * Variant {@code sam}: Sharpness-Aware Minimization (Foret, Kleiner, Mobahi, Neyshabur, ICLR 2021;
 * docs/sam-variants.md#sam) — every step {@code e = ρ·g/‖g‖}, update with {@code g_s = ∇L_B(w +
 * e)}. Always + Euclidean + full batch + {@code g_s}.
 */
public final class Sam extends SharpnessAwareStep {
  public static final Variant VARIANT =
      new Variant(
          "sam", List.of(KnobCatalogue.RHO), (k, seed) -> new Sam(VariantKnobs.rho(k, "sam")));

  public Sam(double rho) {
    super(
        AlwaysSam.INSTANCE,
        new EuclideanPerturbation(rho),
        FullBatch.INSTANCE,
        PerturbedGradient.INSTANCE);
  }
}
