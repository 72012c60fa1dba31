package io.sharpsweep.worker.sam.policy;

import ai.djl.ndarray.NDManager;
import io.sharpsweep.worker.sam.GradientInfo;
import io.sharpsweep.worker.sam.RuleState;

/**
 * AE-SAM's switch (Jiang, Yang, Zhang, Kwok, ICLR 2023; docs/sam-variants.md#ae-sam): with {@code
 * x_t = ‖g_t‖²} of pass 1,
 *
 * <pre>
 *   μ_t  = δ·μ_{t−1} + (1 − δ)·x_t
 *   σ_t² = δ·σ_{t−1}² + (1 − δ)·(x_t − μ_t)²          (the updated μ_t)
 *   c_t  = (t/T)·λ1 + (1 − t/T)·λ2                     (λ2 at the start, λ1 at the end)
 *   SAM step iff x_t ≥ μ_t + c_t·σ_t
 * </pre>
 *
 * Moments are host doubles, initialised from the first sample ({@link Init#FIRST_SAMPLE}, the
 * default) or at 0. {@code σ_t = 0} reduces the rule to {@code x_t ≥ μ_t}; an infinite {@code c_t}
 * decides by its sign alone (−∞: always SAM, +∞: never).
 */
public final class AdaptiveSwitching implements StepPolicy {
  /** How the moments start. */
  public enum Init {
    /** {@code μ_{−1} = x_0, σ²_{−1} = 0}. */
    FIRST_SAMPLE,
    /** {@code μ_{−1} = σ²_{−1} = 0}: every early step is SAM until μ warms up. */
    ZERO
  }

  private static final String MEAN = "adaptive.mean";
  private static final String VARIANCE = "adaptive.variance";
  private static final String UPDATES = "adaptive.updates";

  private final double delta;
  private final double lambda1;
  private final double lambda2;
  private final Init init;
  private double mean;
  private double variance;
  private long updates;

  public AdaptiveSwitching(double delta, double lambda1, double lambda2, Init init) {
    if (!(delta >= 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in [0, 1), got " + delta);
    }
    if (Double.isNaN(lambda1) || Double.isNaN(lambda2)) {
      throw new IllegalArgumentException("lambda1 and lambda2 must be numbers");
    }
    this.delta = delta;
    this.lambda1 = lambda1;
    this.lambda2 = lambda2;
    this.init = init;
  }

  @Override
  public boolean samStep(long t, long totalIterations, GradientInfo g) {
    return observe(t, totalIterations, g.squaredNorm());
  }

  /** Updates the moments with {@code x} and decides iteration {@code t} (public for tests). */
  public boolean observe(long t, long totalIterations, double x) {
    if (updates == 0) {
      mean = init == Init.FIRST_SAMPLE ? x : 0.0;
      variance = 0.0;
    }
    mean = delta * mean + (1 - delta) * x;
    double dev = x - mean;
    variance = delta * variance + (1 - delta) * dev * dev;
    updates++;
    double c = coefficient(t, totalIterations);
    if (Double.isInfinite(c)) {
      return c < 0;
    }
    double sigma = Math.sqrt(variance);
    return sigma == 0 ? x >= mean : x >= mean + c * sigma;
  }

  /** {@code c_t}, linear from λ2 at t = 0 to λ1 at t = T (and λ1 after). */
  public double coefficient(long t, long totalIterations) {
    if (lambda1 == lambda2) {
      return lambda1;
    }
    double s = totalIterations <= 0 ? 1.0 : Math.min(1.0, (double) t / totalIterations);
    // A zero weight leaves an infinite λ out instead of producing 0·∞ = NaN.
    return (s == 0 ? 0 : s * lambda1) + (s == 1 ? 0 : (1 - s) * lambda2);
  }

  public double mean() {
    return mean;
  }

  public double variance() {
    return variance;
  }

  public long updates() {
    return updates;
  }

  @Override
  public void saveState(RuleState out) {
    out.putNumber(MEAN, mean);
    out.putNumber(VARIANCE, variance);
    out.putInteger(UPDATES, updates);
  }

  @Override
  public void loadState(RuleState in, NDManager manager) {
    mean = in.number(MEAN);
    variance = in.number(VARIANCE);
    updates = in.integer(UPDATES);
  }
}
