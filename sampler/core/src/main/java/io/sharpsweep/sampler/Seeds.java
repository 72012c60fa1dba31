package io.sharpsweep.sampler;

/**
 * Derives independent seeds from a request's seed. Uses the SplitMix64 finaliser (Steele, Lea and
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014), a bijection on 64-bit
 * values that spreads neighbouring inputs (seed 7 and 8, stream 0 and 1) to unrelated outputs.
 */
public final class Seeds {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /** SplitMix64's output function. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The seed of stream {@code stream} of {@code seed}; distinct (seed, stream) pairs give unrelated
   * seeds. By convention non-negative streams are history sizes (one per call of a study, {@link
   * SuggestContext#callSeed()}) and negative streams are per-study constants of a sampler (such as
   * the Sobol shift), so the two never collide.
   */
  public static long derive(long seed, long stream) {
    return mix(mix(seed) + GOLDEN_GAMMA * (stream + 1));
  }
}
