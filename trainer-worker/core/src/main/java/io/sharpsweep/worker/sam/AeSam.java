package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.sam.direction.PerturbedGradient;
import io.sharpsweep.worker.sam.perturbation.EuclideanPerturbation;
import io.sharpsweep.worker.sam.policy.AdaptiveSwitching;
import io.sharpsweep.worker.sam.selection.FullBatch;
import java.util.List;

/**
 * Variant {@code ae-sam}: Adaptive policy to Employ SAM (Jiang, Yang, Zhang, Kwok, ICLR 2023;
 * docs/sam-variants.md#ae-sam) — a SAM step when the squared gradient norm is high against its
 * moving moments ({@code x ≥ μ + c_t·σ}, {@code c_t} from {@code lambda2} down to {@code lambda1}),
 * an SGD step otherwise. Adaptive + Euclidean + full batch + {@code g_s}.
 */
public final class AeSam extends SharpnessAwareStep {
  public static final Variant VARIANT =
      new Variant(
          "ae-sam",
          List.of(
              KnobCatalogue.RHO, KnobCatalogue.DELTA, KnobCatalogue.LAMBDA1, KnobCatalogue.LAMBDA2),
          (k, seed) ->
              new AeSam(
                  VariantKnobs.rho(k, "ae-sam"),
                  VariantKnobs.delta(k),
                  VariantKnobs.lambda1(k),
                  VariantKnobs.lambda2(k),
                  AdaptiveSwitching.Init.FIRST_SAMPLE));

  public AeSam(
      double rho, double delta, double lambda1, double lambda2, AdaptiveSwitching.Init init) {
    super(
        new AdaptiveSwitching(delta, lambda1, lambda2, init),
        new EuclideanPerturbation(rho),
        FullBatch.INSTANCE,
        PerturbedGradient.INSTANCE);
  }
}
