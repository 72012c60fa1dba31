package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.sam.direction.PerturbedGradient;
import io.sharpsweep.worker.sam.perturbation.MongePerturbation;
import io.sharpsweep.worker.sam.policy.AlwaysSam;
import io.sharpsweep.worker.sam.selection.FullBatch;
import java.util.List;

/**
 * Variant {@code msam}: Monge SAM (Jacobsen, Arvanitidis 2025; docs/sam-variants.md#m-sam) — the
 * ascent step of radius ρ in the Monge metric {@code I + α²ggᵀ} ({@code monge-alpha} = α); α = 0 is
 * SAM. Always + Monge + full batch + {@code g_s}.
 */
public final class MSam extends SharpnessAwareStep {
  public static final Variant VARIANT =
      new Variant(
          "msam",
          List.of(KnobCatalogue.RHO, KnobCatalogue.MONGE_ALPHA),
          (k, seed) -> new MSam(VariantKnobs.rho(k, "msam"), VariantKnobs.mongeAlpha(k)));

  public MSam(double rho, double mongeAlpha) {
    super(
        AlwaysSam.INSTANCE,
        new MongePerturbation(rho, mongeAlpha),
        FullBatch.INSTANCE,
        PerturbedGradient.INSTANCE);
  }
}
