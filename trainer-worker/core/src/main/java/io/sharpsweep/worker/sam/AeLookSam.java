package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.sam.direction.LookSamDirection;
import io.sharpsweep.worker.sam.perturbation.EuclideanPerturbation;
import io.sharpsweep.worker.sam.policy.AdaptiveSwitching;
import io.sharpsweep.worker.sam.selection.FullBatch;
import java.util.List;

/**
 * Variant {@code ae-looksam}: AE-SAM's switch deciding LookSAM's SAM steps (Jiang et al., ICLR
 * 2023; docs/sam-variants.md#ae-looksam) — SAM steps store {@code g_v}, the other steps reuse it.
 * The same decisions as {@code ae-sam} for the same gradient norms. Adaptive + Euclidean + full
 * batch + LookSAM direction.
 */
public final class AeLookSam extends SharpnessAwareStep {
  public static final Variant VARIANT =
      new Variant(
          "ae-looksam",
          List.of(
              KnobCatalogue.RHO,
              KnobCatalogue.DELTA,
              KnobCatalogue.LAMBDA1,
              KnobCatalogue.LAMBDA2,
              KnobCatalogue.ALPHA),
          (k, seed) ->
              new AeLookSam(
                  VariantKnobs.rho(k, "ae-looksam"),
                  VariantKnobs.delta(k),
                  VariantKnobs.lambda1(k),
                  VariantKnobs.lambda2(k),
                  VariantKnobs.alpha(k)));

  public AeLookSam(double rho, double delta, double lambda1, double lambda2, double alpha) {
    super(
        new AdaptiveSwitching(delta, lambda1, lambda2, AdaptiveSwitching.Init.FIRST_SAMPLE),
        new EuclideanPerturbation(rho),
        FullBatch.INSTANCE,
        new LookSamDirection(alpha));
  }
}
