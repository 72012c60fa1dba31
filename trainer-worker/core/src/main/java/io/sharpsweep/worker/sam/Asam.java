package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.sam.direction.PerturbedGradient;
import io.sharpsweep.worker.sam.perturbation.AdaptivePerturbation;
import io.sharpsweep.worker.sam.policy.AlwaysSam;
import io.sharpsweep.worker.sam.selection.FullBatch;
import java.util.List;

/**
 * Variant {@code asam}: Adaptive SAM (Kwon et al., ICML 2021; docs/sam-variants.md#asam), the
 * official rule: {@code e = ρ·T²g/‖Tg‖} with {@code T = |w| + η} on weights and batch-norm γ, 1 on
 * biases and β. ASAM's radii are about 10× SAM's: ρ defaults to 0.5. Always + Adaptive + full batch
 * + {@code g_s}.
 */
public final class Asam extends SharpnessAwareStep {
  public static final Variant VARIANT =
      new Variant(
          "asam",
          List.of(KnobCatalogue.RHO, KnobCatalogue.ETA),
          (k, seed) ->
              new Asam(
                  VariantKnobs.rho(k, "asam"),
                  VariantKnobs.eta(k),
                  AdaptivePerturbation.Rule.OFFICIAL));

  public Asam(double rho, double eta, AdaptivePerturbation.Rule rule) {
    super(
        AlwaysSam.INSTANCE,
        new AdaptivePerturbation(rho, eta, rule),
        FullBatch.INSTANCE,
        PerturbedGradient.INSTANCE);
  }
}
