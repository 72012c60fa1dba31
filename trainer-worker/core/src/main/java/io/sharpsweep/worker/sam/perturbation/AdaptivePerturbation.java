package io.sharpsweep.worker.sam.perturbation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.sharpsweep.worker.sam.GradientInfo;
import io.sharpsweep.worker.sam.TrainingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * ASAM's ascent step (Kwon, Kim, Park, Choi, ICML 2021; docs/sam-variants.md#asam): with the
 * element-wise operator {@code T_w}, {@code e = ρ·T_w²·g / (‖T_w·g‖ + ε_n)}, so {@code ‖T_w⁻¹e‖ =
 * ρ}.
 *
 * <p>{@link Rule#OFFICIAL} (SamsungLabs/ASAM): {@code T = |w| + η} on weights and batch-norm γ —
 * mapped by DJL parameter type (WEIGHT, GAMMA), since DJL does not name γ "weight" — and {@code T =
 * 1} on biases and β. {@link Rule#ALL_PARAMETERS} (davda54's {@code adaptive=True}): {@code T = |w|
 * + η} on every tensor. A tensor with {@code T = 1} is scaled exactly like SAM's.
 */
public final class AdaptivePerturbation implements Perturbation {
  /** Which tensors get {@code T = |w| + η}. */
  public enum Rule {
    OFFICIAL,
    ALL_PARAMETERS,
    /** {@code T ≡ 1} everywhere: SAM (for the equivalence test). */
    NONE
  }

  private final double rho;
  private final double eta;
  private final Rule rule;

  public AdaptivePerturbation(double rho, double eta, Rule rule) {
    if (!(rho >= 0) || Double.isInfinite(rho)) {
      throw new IllegalArgumentException("rho must be a finite number >= 0, got " + rho);
    }
    if (!(eta >= 0) || Double.isInfinite(eta)) {
      throw new IllegalArgumentException("eta must be a finite number >= 0, got " + eta);
    }
    this.rho = rho;
    this.eta = eta;
    this.rule = rule;
  }

  @Override
  public List<NDArray> compute(TrainingContext ctx, GradientInfo g) {
    List<NDArray> w = ctx.weights();
    List<Parameter> params = ctx.parameters();
    int n = w.size();
    List<NDArray> t = new ArrayList<>(n);
    List<NDArray> tg = new ArrayList<>(n);
    NDList sums = new NDList(n);
    for (int i = 0; i < n; i++) {
      NDArray gi = g.gradients().get(i);
      NDArray ti = scaled(params.isEmpty() ? null : params.get(i)) ? w.get(i).abs().add(eta) : null;
      NDArray tgi = ti == null ? gi : ti.mul(gi);
      t.add(ti);
      tg.add(tgi);
      sums.add(tgi.square().sum());
    }
    double sq = 0;
    for (double v : NDArrays.stack(sums).toType(DataType.FLOAT64, false).toDoubleArray()) {
      sq += v;
    }
    if (!(sq >= ZERO_SQUARED_NORM)) {
      return null; // zero (or a NaN the loss check did not catch: no ascent step from it)
    }
    double scale = rho / (Math.sqrt(sq) + NORM_EPSILON);
    List<NDArray> e = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      NDArray ti = t.get(i);
      e.add(ti == null ? tg.get(i).mul(scale) : ti.mul(tg.get(i)).muli(scale));
    }
    return e;
  }

  private boolean scaled(Parameter p) {
    return switch (rule) {
      case NONE -> false;
      case ALL_PARAMETERS -> true;
      case OFFICIAL ->
          p == null || p.getType() == Parameter.Type.WEIGHT || p.getType() == Parameter.Type.GAMMA;
    };
  }
}
