package io.sharpsweep.worker.sam.perturbation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.sharpsweep.worker.sam.GradientInfo;
import io.sharpsweep.worker.sam.RuleState;
import io.sharpsweep.worker.sam.TrainingContext;
import io.sharpsweep.worker.sam.policy.SeededStream;
import java.util.ArrayList;
import java.util.List;

/**
 * ESAM's stochastic weight perturbation, SWP (Du et al., ICLR 2022; docs/sam-variants.md#swp), with
 * the official code's semantics: each parameter tensor is kept with probability β (one uniform draw
 * per tensor, kept iff {@code u ≤ β}, from its own seeded stream); the kept tensors alone are
 * perturbed, {@code e = ρ·g / (‖g_kept‖ + ε_n) / β}, so {@code ‖e‖ = ρ/β}. Iteration 0 is unmasked.
 *
 * <p>The saving is real: with {@link Norm#MASKED} (default) the masked tensors are left out of pass
 * 1's backward (requires-gradient off), so their weight gradients are never computed. {@link
 * Norm#FULL} normalises by the full gradient (the paper's statement; needs the full backward, no
 * saving; for ablations). If a draw would mask every tensor, the iteration runs unmasked.
 */
public final class StochasticWeightPerturbation implements Perturbation {
  /** Which gradient norm scales {@code e}. */
  public enum Norm {
    MASKED,
    FULL
  }

  /** Stream id of the mask RNG. */
  public static final long STREAM = 0x4553_414DL;

  private static final String STATE = "swp.state";
  private final double rho;
  private final double beta;
  private final Norm norm;
  private final SeededStream rng;
  private boolean[] mask;

  public StochasticWeightPerturbation(double rho, double beta, Norm norm, long seed) {
    if (!(rho >= 0) || Double.isInfinite(rho)) {
      throw new IllegalArgumentException("rho must be a finite number >= 0, got " + rho);
    }
    if (!(beta > 0 && beta <= 1)) {
      throw new IllegalArgumentException("beta must be in (0, 1], got " + beta);
    }
    this.rho = rho;
    this.beta = beta;
    this.norm = norm;
    this.rng = new SeededStream(seed, STREAM);
  }

  @Override
  public boolean[] excludeFromPass1(TrainingContext ctx) {
    mask = draw(ctx.weights().size(), ctx.iteration());
    return norm == Norm.MASKED ? mask : null;
  }

  /** The tensors masked at iteration {@code t} (true = left out), or null for none. */
  boolean[] draw(int tensors, long t) {
    if (t == 0 || beta >= 1) {
      return null;
    }
    boolean[] out = new boolean[tensors];
    boolean anyKept = false;
    for (int i = 0; i < tensors; i++) {
      out[i] = !(rng.nextDouble() <= beta);
      anyKept |= !out[i];
    }
    return anyKept ? out : null;
  }

  @Override
  public List<NDArray> compute(TrainingContext ctx, GradientInfo g) {
    return perturbation(g, mask);
  }

  /**
   * {@code e} for the gradient {@code g} and the mask (true = not perturbed); with {@link
   * Norm#MASKED} {@code g}'s own exclusions must be the mask.
   */
  public List<NDArray> perturbation(GradientInfo g, boolean[] masked) {
    double sq = g.squaredNorm();
    if (sq < ZERO_SQUARED_NORM) {
      return null;
    }
    double scale = rho / (Math.sqrt(sq) + NORM_EPSILON) / beta;
    List<NDArray> e = new ArrayList<>(g.gradients().size());
    for (int i = 0; i < g.gradients().size(); i++) {
      boolean out = g.excluded(i) || (masked != null && masked[i]);
      e.add(out ? null : g.gradients().get(i).mul(scale));
    }
    return e;
  }

  @Override
  public void saveState(RuleState out) {
    out.putInteger(STATE, rng.state());
  }

  @Override
  public void loadState(RuleState in, NDManager manager) {
    rng.setState(in.integer(STATE));
  }
}
