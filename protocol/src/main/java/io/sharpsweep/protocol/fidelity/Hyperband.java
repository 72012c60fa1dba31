package io.sharpsweep.protocol.fidelity;

import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.FidelityLadder.Bracket;

/**
 * Hyperband (Li et al. 2017, "Hyperband: a novel bandit-based approach to hyperparameter
 * optimization"): brackets {@code s = K…0} in turn, then again; bracket {@code s} holds {@code n_s
 * = ceil((K+1)·eta^s/(s+1))} trials starting at rung {@code K−s} (with {@code R = eta^K} in units
 * of the first rung), each bracket run as <b>synchronous</b> successive halving, as in the paper.
 * Brackets are filled in order with consecutive trials and overlap in time: while a bracket waits
 * for its last results, free slots start the next bracket's trials.
 */
public class Hyperband extends SuccessiveHalving {
  public static final String TYPE = "hyperband";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Bracket bracket(FidelityLadder ladder, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("bracket index must be at least 0, got " + index);
    }
    Cycle cycle = new Cycle(ladder);
    int p = index % cycle.sizes.length;
    long first = (long) (index / cycle.sizes.length) * cycle.total + cycle.starts[p];
    return ladder.cutToBudget(index, ladder.topRung() - p, p, first, cycle.sizes[p]);
  }

  @Override
  public Bracket bracketOf(FidelityLadder ladder, int number) {
    Cycle cycle = new Cycle(ladder);
    long round = number / cycle.total;
    long within = number % cycle.total;
    int p = 0;
    while (p + 1 < cycle.starts.length && cycle.starts[p + 1] <= within) {
      p++;
    }
    return bracket(ladder, (int) (round * cycle.sizes.length + p));
  }

  /** The bracket sizes of one cycle ({@code s = K…0}) and where each starts within the cycle. */
  private static final class Cycle {
    final int[] sizes;
    final long[] starts;
    final long total;

    Cycle(FidelityLadder ladder) {
      int k = ladder.topRung();
      sizes = new int[k + 1];
      starts = new long[k + 1];
      long sum = 0;
      for (int p = 0; p <= k; p++) {
        int s = k - p;
        sizes[p] = (int) Math.min(Integer.MAX_VALUE, ceilDiv((k + 1L) * ladder.etaPow(s), s + 1L));
        starts[p] = sum;
        sum += sizes[p];
      }
      total = sum;
    }

    private static long ceilDiv(long a, long b) {
      return (a + b - 1) / b;
    }
  }
}
