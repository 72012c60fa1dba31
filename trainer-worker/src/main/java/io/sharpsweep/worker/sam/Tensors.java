package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/** Whole-model tensor operations the step rules share. */
public final class Tensors {
  private static final NDIndex ALL = new NDIndex("...");

  private Tensors() {}

  /** Copies of {@code arrays} (in the arrays' current managers — the step's, inside a step). */
  public static List<NDArray> copies(List<NDArray> arrays) {
    List<NDArray> out = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) {
      out.add(a.duplicate());
    }
    return out;
  }

  /**
   * {@code target[i] ← source[i]} element by element, in place: an exact restore (never {@code w −
   * e}).
   */
  public static void copyInto(List<NDArray> target, List<NDArray> source) {
    for (int i = 0; i < target.size(); i++) {
      target.get(i).set(ALL, source.get(i));
    }
  }

  /**
   * The global L2 norm over all tensors: per-tensor sums of squares in fp32, their sum and root in
   * fp64.
   */
  public static double globalNorm(List<NDArray> arrays) {
    double sumSquares = 0;
    for (NDArray a : arrays) {
      try (NDArray sq = a.square();
          NDArray s = sq.sum()) {
        sumSquares += s.getFloat();
      }
    }
    return Math.sqrt(sumSquares);
  }
}
