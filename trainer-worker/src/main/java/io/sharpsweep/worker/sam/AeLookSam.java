package io.sharpsweep.worker.sam;

import io.sharpsweep.worker.sam.direction.LookSamDirection;
import io.sharpsweep.worker.sam.perturbation.EuclideanPerturbation;
import io.sharpsweep.worker.sam.policy.AdaptiveSwitching;
import io.sharpsweep.worker.sam.selection.FullBatch;
import java.util.List;

/**
 * Variant {@code ae-looksam}: AE-SAM's switch deciding LookSAM's SAM steps (Jiang et al., ICLR
 * 2023; SAM-VARIANTS.md §9) — SAM steps store {@code g_v}, the other steps reuse it. The same
 * decisions as {@code ae-sam} for the same gradient norms. Adaptive + Euclidean + full batch +
 * LookSAM direction.
 */
public final class AeLookSam extends SharpnessAwareStep {
  public static final Variant VARIANT =
      new Variant(
          "ae-looksam",
          List.of(
              VariantKnobs.rhoSpec(VariantKnobs.RHO),
              VariantKnobs.DELTA_SPEC,
              VariantKnobs.LAMBDA1_SPEC,
              VariantKnobs.LAMBDA2_SPEC,
              VariantKnobs.ALPHA_SPEC),
          (k, seed) ->
              new AeLookSam(
                  VariantKnobs.rho(k, VariantKnobs.RHO),
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
