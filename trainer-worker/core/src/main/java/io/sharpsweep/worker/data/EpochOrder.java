package io.sharpsweep.worker.data;

import java.util.Random;

/**
 * The order in which epoch {@code e} of a trial visits the training examples: a permutation seeded
 * from (trial seed, epoch) alone, so a trial resumed at epoch {@code e} sees the same batches as
 * one trained straight through.
 */
public final class EpochOrder {
  private EpochOrder() {}

  public static long[] permutation(int size, long trialSeed, int epoch) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    DatasetLoader.shuffle(order, new Random(mix(trialSeed, epoch)));
    long[] out = new long[size];
    for (int i = 0; i < size; i++) {
      out[i] = order[i];
    }
    return out;
  }

  /** SplitMix64 finaliser of (seed, stream): nearby seeds and epochs give unrelated streams. */
  public static long mix(long seed, long stream) {
    long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
