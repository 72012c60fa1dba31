package io.sharpsweep.worker.sam.perturbation;

import ai.djl.ndarray.NDArray;
import io.sharpsweep.worker.sam.GradientInfo;
import io.sharpsweep.worker.sam.TrainingContext;
import java.util.List;

/**
 * M-SAM's ascent step (Jacobsen, Arvanitidis 2025; docs/sam-variants.md#m-sam): maximise {@code ⟨g,
 * δ⟩} subject to {@code δᵀGδ ≤ ρ²} with the Monge metric {@code G = I + α²·g·gᵀ}; by
 * Sherman–Morrison {@code δ = ρ·g / (‖g‖·√(1 + α²‖g‖²))}. α = 0 is SAM; a large {@code α‖g‖}
 * shrinks the step towards plain gradient descent. Depends on the loss scale: the loss is the
 * batch-mean data loss.
 */
public final class MongePerturbation implements Perturbation {
  private final double rho;
  private final double alpha;

  public MongePerturbation(double rho, double alpha) {
    if (!(rho >= 0) || Double.isInfinite(rho)) {
      throw new IllegalArgumentException("rho must be a finite number >= 0, got " + rho);
    }
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("monge-alpha must be a finite number >= 0, got " + alpha);
    }
    this.rho = rho;
    this.alpha = alpha;
  }

  @Override
  public List<NDArray> compute(TrainingContext ctx, GradientInfo g) {
    double sq = g.squaredNorm();
    if (sq < ZERO_SQUARED_NORM) {
      return null;
    }
    return EuclideanPerturbation.scaled(g, scale(sq));
  }

  /** {@code ρ / (‖g‖·√(1 + α²‖g‖²) + ε_n)}. */
  public double scale(double squaredNorm) {
    // α = 0 must give SAM's scale bit for bit: √(1 + 0) = 1 exactly.
    return rho
        / (Math.sqrt(squaredNorm) * Math.sqrt(1 + alpha * alpha * squaredNorm) + NORM_EPSILON);
  }
}
