package io.sharpsweep.worker.sam.direction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.sharpsweep.worker.sam.GradientInfo;
import io.sharpsweep.worker.sam.RuleState;
import io.sharpsweep.worker.sam.Tensors;
import io.sharpsweep.worker.sam.TrainingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * LookSAM's reuse of the sharpness direction (Liu et al., CVPR 2022; docs/sam-variants.md#looksam),
 * global decomposition:
 *
 * <pre>
 *   SAM step:   g_v = g_s − (⟨g, g_s⟩/‖g‖²)·g      stored (the part of g_s orthogonal to g); d = g_s
 *   reuse step: d = g + α·(‖g‖/‖g_v‖)·g_v          (d = g while no g_v is stored or ‖g_v‖ = 0)
 * </pre>
 *
 * The stored {@code g_v} and its norm live across iterations (in the trial's manager) and go into
 * checkpoints. Reuse steps never touch the weights other than through the optimizer (no roll-back
 * to the last SAM step's weights, the community ports' bug).
 */
public final class LookSamDirection implements DirectionRule {
  private static final NDIndex ALL = new NDIndex("...");
  private static final String PREFIX = "looksam.";

  private final double alpha;
  private List<NDArray> stored;
  private double storedNorm;
  private NDManager attachedTo;

  public LookSamDirection(double alpha) {
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be a finite number >= 0, got " + alpha);
    }
    this.alpha = alpha;
  }

  @Override
  public boolean needsPass1Gradient() {
    return true;
  }

  @Override
  public List<NDArray> onSam(TrainingContext ctx, GradientInfo g, List<NDArray> gs) {
    double coefficient = Tensors.dot(g.gradients(), gs) / g.squaredNorm();
    List<NDArray> gv = new ArrayList<>(gs.size());
    for (int i = 0; i < gs.size(); i++) {
      gv.add(gs.get(i).sub(g.gradients().get(i).mul(coefficient)));
    }
    storedNorm = Math.sqrt(Tensors.sumOfSquares(gv, null));
    if (stored == null) {
      stored = new ArrayList<>(gv.size());
      for (NDArray v : gv) {
        NDArray keep = v.duplicate();
        keep.attach(ctx.stateManager());
        stored.add(keep);
      }
    } else {
      attach(ctx);
      for (int i = 0; i < gv.size(); i++) {
        stored.get(i).set(ALL, gv.get(i));
      }
    }
    return gs;
  }

  @Override
  public List<NDArray> onErm(TrainingContext ctx, GradientInfo g) {
    if (stored == null || !(storedNorm > 0)) {
      return g.gradients();
    }
    attach(ctx);
    double coefficient = alpha * g.norm() / storedNorm;
    List<NDArray> d = new ArrayList<>(stored.size());
    for (int i = 0; i < stored.size(); i++) {
      d.add(g.gradients().get(i).add(stored.get(i).mul(coefficient)));
    }
    return d;
  }

  /**
   * The stored arrays join the step's manager for the step, so results of ops on them die with it.
   */
  private void attach(TrainingContext ctx) {
    if (attachedTo != ctx.stepManager()) {
      ctx.stepManager().tempAttachAll(stored.toArray(new NDArray[0]));
      attachedTo = ctx.stepManager();
    }
  }

  /** The stored {@code g_v} (for tests), or null before the first SAM step. */
  public List<NDArray> stored() {
    return stored;
  }

  public double storedNorm() {
    return storedNorm;
  }

  @Override
  public void saveState(RuleState out) {
    out.putInteger(PREFIX + "stored", stored == null ? 0 : stored.size());
    out.putNumber(PREFIX + "norm", storedNorm);
    if (stored != null) {
      for (int i = 0; i < stored.size(); i++) {
        out.putTensor(PREFIX + "gv." + i, stored.get(i));
      }
    }
  }

  @Override
  public void loadState(RuleState in, NDManager manager) {
    int n = (int) in.integer(PREFIX + "stored");
    storedNorm = in.number(PREFIX + "norm");
    attachedTo = null;
    if (n == 0) {
      stored = null;
      return;
    }
    stored = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      NDArray copy = in.tensor(PREFIX + "gv." + i).duplicate();
      copy.attach(manager);
      stored.add(copy);
    }
  }
}
