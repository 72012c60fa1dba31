package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Pass 1's data-loss gradient {@code g} and, computed once on first use, its squared global norm
 * over the tensors pass 1 differentiated (the norm is over exactly the set that is perturbed:
 * docs/sam-variants.md#the-two-pass-step, invariant 7). Strategies share it, so AE-SAM's statistic,
 * the perturbation scale and LookSAM's reuse ratio cost one reduction.
 */
public final class GradientInfo {
  private final List<NDArray> gradients;
  private final boolean[] excluded;
  private final long iteration;
  private double squaredNorm = Double.NaN;

  /**
   * @param excluded tensors left out of pass 1's backward (their gradient is 0), or null
   * @param iteration for the error message when the norm is not finite
   */
  public GradientInfo(List<NDArray> gradients, boolean[] excluded, long iteration) {
    this.gradients = gradients;
    this.excluded = excluded;
    this.iteration = iteration;
  }

  /** The same norm over other arrays holding the same values (a copy made before pass 2). */
  public GradientInfo withGradients(List<NDArray> copies) {
    GradientInfo g = new GradientInfo(copies, excluded, iteration);
    g.squaredNorm = squaredNorm;
    return g;
  }

  public List<NDArray> gradients() {
    return gradients;
  }

  public boolean excluded(int i) {
    return excluded != null && excluded[i];
  }

  /** The tensors left out of pass 1, or null. */
  public boolean[] exclusions() {
    return excluded;
  }

  /**
   * {@code ‖g‖²} over the tensors not excluded.
   *
   * @throws TrainingDivergedException if it is NaN or infinite
   */
  public double squaredNorm() {
    if (Double.isNaN(squaredNorm)) {
      double s = Tensors.sumOfSquares(gradients, excluded);
      if (!Double.isFinite(s)) {
        throw new TrainingDivergedException(
            "gradient norm became " + Math.sqrt(s) + " at iteration " + iteration);
      }
      squaredNorm = s;
    }
    return squaredNorm;
  }

  public double norm() {
    return Math.sqrt(squaredNorm());
  }
}
