package io.sharpsweep.worker.sam.perturbation;

import ai.djl.ndarray.NDArray;
import io.sharpsweep.worker.sam.GradientInfo;
import io.sharpsweep.worker.sam.TrainingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * SAM's ascent step (Foret et al., ICLR 2021; docs/sam-variants.md#sam): {@code e = ρ·g / (‖g‖ +
 * ε_n)}, one global norm over every trainable tensor, so {@code ‖e‖ = ρ}.
 */
public final class EuclideanPerturbation implements Perturbation {
  private final double rho;

  public EuclideanPerturbation(double rho) {
    if (!(rho >= 0) || Double.isInfinite(rho)) {
      throw new IllegalArgumentException("rho must be a finite number >= 0, got " + rho);
    }
    this.rho = rho;
  }

  public double rho() {
    return rho;
  }

  @Override
  public List<NDArray> compute(TrainingContext ctx, GradientInfo g) {
    double sq = g.squaredNorm();
    if (sq < ZERO_SQUARED_NORM) {
      return null;
    }
    return scaled(g, rho / (Math.sqrt(sq) + NORM_EPSILON));
  }

  /** {@code scale·g_i} for every tensor not excluded from pass 1. */
  static List<NDArray> scaled(GradientInfo g, double scale) {
    List<NDArray> e = new ArrayList<>(g.gradients().size());
    for (int i = 0; i < g.gradients().size(); i++) {
      e.add(g.excluded(i) ? null : g.gradients().get(i).mul(scale));
    }
    return e;
  }
}
