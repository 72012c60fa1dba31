package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.sam.direction.PerturbedGradient;
import io.sharpsweep.worker.sam.perturbation.StochasticWeightPerturbation;
import io.sharpsweep.worker.sam.policy.AlwaysSam;
import io.sharpsweep.worker.sam.selection.SharpnessSensitiveSelection;
import java.util.List;

/**
 * Variant {@code esam}: Efficient SAM (Du et al., ICLR 2022; docs/sam-variants.md#esam) —
 * stochastic weight perturbation with {@code beta} (pass 1 back-propagates into a β share of the
 * tensors; the masked norm makes {@code ‖e‖ = ρ/β}) and sharpness-sensitive data selection with
 * {@code gamma} (pass 2 back-propagates only the ⌈γ·b⌉ sharpest examples). β = γ = 1 is SAM. Always
 * + SWP + SDS + {@code g_s}.
 */
public final class Esam extends SharpnessAwareStep {
  public static final Variant VARIANT =
      new Variant(
          "esam",
          List.of(KnobCatalogue.RHO, KnobCatalogue.BETA, KnobCatalogue.GAMMA),
          (k, seed) ->
              new Esam(
                  VariantKnobs.rho(k, "esam"),
                  VariantKnobs.beta(k),
                  VariantKnobs.gamma(k),
                  StochasticWeightPerturbation.Norm.MASKED,
                  seed));

  public Esam(
      double rho, double beta, double gamma, StochasticWeightPerturbation.Norm norm, long seed) {
    super(
        AlwaysSam.INSTANCE,
        new StochasticWeightPerturbation(rho, beta, norm, seed),
        new SharpnessSensitiveSelection(gamma, false),
        PerturbedGradient.INSTANCE);
  }
}
