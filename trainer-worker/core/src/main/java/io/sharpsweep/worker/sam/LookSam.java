package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.sam.direction.LookSamDirection;
import io.sharpsweep.worker.sam.perturbation.EuclideanPerturbation;
import io.sharpsweep.worker.sam.policy.PeriodicSam;
import io.sharpsweep.worker.sam.selection.FullBatch;
import java.util.List;

/**
 * Variant {@code looksam}: LookSAM (Liu, Mai, Chen, Hsieh, You, CVPR 2022;
 * docs/sam-variants.md#looksam) — a SAM step every {@code k} iterations (t mod k = 0) that stores
 * the part of {@code g_s} orthogonal to {@code g}; the steps between reuse it, scaled by {@code
 * alpha}. Periodic + Euclidean + full batch + LookSAM direction.
 */
public final class LookSam extends SharpnessAwareStep {
  public static final Variant VARIANT =
      new Variant(
          "looksam",
          List.of(KnobCatalogue.RHO, KnobCatalogue.K, KnobCatalogue.ALPHA),
          (k, seed) ->
              new LookSam(
                  VariantKnobs.rho(k, "looksam"), VariantKnobs.k(k), VariantKnobs.alpha(k)));

  public LookSam(double rho, int k, double alpha) {
    super(
        new PeriodicSam(k),
        new EuclideanPerturbation(rho),
        FullBatch.INSTANCE,
        new LookSamDirection(alpha));
  }
}
