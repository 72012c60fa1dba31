package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
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
   * e}). A null source leaves its target alone.
   */
  public static void copyInto(List<NDArray> target, List<NDArray> source) {
    for (int i = 0; i < target.size(); i++) {
      if (source.get(i) != null) {
        target.get(i).set(ALL, source.get(i));
      }
    }
  }

  /**
   * {@code Σ_i ‖a_i‖²} over the tensors not {@code skipped}: per-tensor sums in the tensors' own
   * precision (fp32 or fp64), brought to the host in one transfer and added in fp64.
   *
   * @param skipped tensors to leave out (by position), or null
   */
  public static double sumOfSquares(List<NDArray> arrays, boolean[] skipped) {
    NDList sums = new NDList(arrays.size());
    for (int i = 0; i < arrays.size(); i++) {
      if (skipped == null || !skipped[i]) {
        sums.add(arrays.get(i).square().sum());
      }
    }
    return hostSum(sums);
  }

  /** {@code Σ_i ⟨a_i, b_i⟩}, summed like {@link #sumOfSquares}. */
  public static double dot(List<NDArray> a, List<NDArray> b) {
    NDList sums = new NDList(a.size());
    for (int i = 0; i < a.size(); i++) {
      sums.add(a.get(i).mul(b.get(i)).sum());
    }
    return hostSum(sums);
  }

  private static double hostSum(NDList scalars) {
    if (scalars.isEmpty()) {
      return 0.0;
    }
    double[] values = NDArrays.stack(scalars).toType(DataType.FLOAT64, false).toDoubleArray();
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum;
  }
}
