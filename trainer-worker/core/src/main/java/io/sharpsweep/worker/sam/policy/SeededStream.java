package io.sharpsweep.worker.sam.policy;

/**
 * SplitMix64 (Steele, Lea, Flood 2014): a random stream whose whole state is one {@code long}, so a
 * checkpoint stores it exactly and a resumed trial draws the same numbers as one trained straight.
 * Each user (RST's decisions, ESAM's weight mask) owns one, seeded from the trial seed and its own
 * stream id.
 */
public final class SeededStream {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  public SeededStream(long seed, long stream) {
    this.state = mix(seed + GOLDEN * (stream + 1));
  }

  /** The next 64 random bits. */
  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  public long state() {
    return state;
  }

  public void setState(long state) {
    this.state = state;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
