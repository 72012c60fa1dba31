package io.sharpsweep.worker.sam.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.sam.TrainingContext;
import java.util.Arrays;

/**
 * ESAM's sharpness-sensitive data selection, SDS (Du et al., ICLR 2022; docs/sam-variants.md#sds):
 * after the ascent step, a full-batch forward without gradient gives {@code ℓ_i(w + e)}; the
 * instance sharpness is {@code s_i = ℓ_i(w + e) − ℓ_i(w)} (pass 1's per-example losses); pass 2
 * runs forward <em>and</em> backward on the {@code k = max(1, ⌈γ·b⌉)} examples of largest {@code
 * s_i} only (ties: lower index first), with the plain mean loss. {@code k = b} skips the selection
 * forward: pass 2 is SAM's.
 *
 * <p>The selection runs on the host over {@code b} scalars (a deterministic tie rule; the model's
 * tensors never leave native memory). {@code strictCutoff} reproduces the official code's rule
 * ({@code k = ⌊γb⌋}, keep {@code s_i >} the k-th largest: k−1 examples without ties, possibly none
 * with them) for comparisons only.
 */
public final class SharpnessSensitiveSelection implements Pass2Data {
  private final double gamma;
  private final boolean strictCutoff;

  public SharpnessSensitiveSelection(double gamma, boolean strictCutoff) {
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
    }
    this.gamma = gamma;
    this.strictCutoff = strictCutoff;
  }

  /** Examples pass 2 keeps out of {@code batchSize}: {@code max(1, ⌈γ·b⌉)}. */
  public int keep(int batchSize) {
    // −1e-9: γ·b = 3.0000000000000004 for γ = 0.3, b = 10 must give 3, not 4.
    return Math.max(1, Math.min(batchSize, (int) Math.ceil(gamma * batchSize - 1e-9)));
  }

  @Override
  public boolean needsLossesBeforePerturbation() {
    return true;
  }

  @Override
  public Batch select(TrainingContext ctx, Batch batch, NDArray lossesBefore) {
    if (!strictCutoff && keep(batch.size()) >= batch.size()) {
      return batch;
    }
    NDArray lossesAfter = ctx.forwardLosses(batch);
    double[] sharpness =
        lossesAfter.sub(lossesBefore).toType(DataType.FLOAT64, false).toDoubleArray();
    int[] rows = select(sharpness, gamma, strictCutoff);
    if (rows.length == 0) {
      throw new IllegalStateException(
          "ESAM's strict cutoff selected no example (sharpness values tie at the cutoff)");
    }
    long[] idx = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      idx[i] = rows[i];
    }
    NDIndex take = new NDIndex("{}", ctx.stepManager().create(idx));
    return new Batch(batch.x().get(take), batch.y().get(take), rows.length);
  }

  /**
   * The selected rows in ascending order: the exact top-k (ties to the lower index), or the
   * official strict cutoff.
   */
  public static int[] select(double[] sharpness, double gamma, boolean strictCutoff) {
    int b = sharpness.length;
    Integer[] order = new Integer[b];
    for (int i = 0; i < b; i++) {
      order[i] = i;
    }
    // Stable sort by decreasing sharpness: equal values keep index order.
    Arrays.sort(order, (x, y) -> Double.compare(sharpness[y], sharpness[x]));
    int[] out;
    if (strictCutoff) {
      if (gamma >= 0.99) {
        out = new int[b];
        for (int i = 0; i < b; i++) {
          out[i] = i;
        }
        return out;
      }
      int k = (int) Math.floor(b * gamma);
      if (k == 0) {
        return new int[0];
      }
      double cutoff = sharpness[order[k - 1]];
      out = java.util.stream.IntStream.range(0, b).filter(i -> sharpness[i] > cutoff).toArray();
      return out;
    }
    int k = new SharpnessSensitiveSelection(gamma, false).keep(b);
    out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = order[i];
    }
    Arrays.sort(out);
    return out;
  }
}
