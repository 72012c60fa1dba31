package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDArray;
import io.sharpsweep.worker.data.Batch;
import java.util.List;

/**
 * Variant {@code sam}: Sharpness-Aware Minimization (Foret, Kleiner, Mobahi, Neyshabur, ICLR 2021),
 * the two-pass skeleton of SAM-VARIANTS.md §1.1 with the Euclidean perturbation of §3:
 *
 * <pre>
 *   g   = ∇L_B(w)                 pass 1
 *   e   = ρ·g / (‖g‖ + 1e-12)      global norm over all trainable tensors
 *   g_s = ∇L_B(w + e)             pass 2: gradients zeroed before, BN statistics restored after
 *   w   ← saved copy of w         exact, never w − e
 *   base optimizer step with g_s  weight decay and momentum applied there, once
 * </pre>
 *
 * A zero gradient norm short-circuits to an ERM step (counted as ERM). Perturbation and restore run
 * outside any gradient collector.
 */
public final class SamStep implements StepRule {
  /** ε_n of SAM-VARIANTS.md §1.2. */
  public static final double NORM_EPSILON = 1e-12;

  private final double rho;

  public SamStep(double rho) {
    if (!(rho >= 0) || Double.isInfinite(rho)) {
      throw new IllegalArgumentException("rho must be a finite number >= 0, got " + rho);
    }
    this.rho = rho;
  }

  public double rho() {
    return rho;
  }

  @Override
  public StepStats step(TrainingContext ctx, Batch batch) {
    ctx.zeroGradients();
    double loss = ctx.forwardBackward(batch);
    List<NDArray> weights = ctx.weights();
    List<NDArray> g = ctx.gradients();
    double norm = Tensors.globalNorm(g);
    if (!Double.isFinite(norm)) {
      throw new TrainingDivergedException(
          "gradient norm became " + norm + " at iteration " + ctx.iteration());
    }
    if (norm < 1e-30) {
      ctx.optimizer().step(weights, g);
      return StepStats.erm(loss);
    }
    List<NDArray> saved = Tensors.copies(weights);
    float scale = (float) (rho / (norm + NORM_EPSILON));
    for (int i = 0; i < weights.size(); i++) {
      weights.get(i).addi(g.get(i).mul(scale));
    }
    // g is a view of the gradient storage: it is consumed above, before the zeroing below
    // overwrites it.
    ctx.zeroGradients();
    RunningStatsSnapshot runningStats = ctx.snapshotRunningStats();
    ctx.forwardBackward(batch);
    runningStats.restore();
    Tensors.copyInto(weights, saved);
    ctx.optimizer().step(weights, ctx.gradients());
    return StepStats.sam(loss);
  }
}
