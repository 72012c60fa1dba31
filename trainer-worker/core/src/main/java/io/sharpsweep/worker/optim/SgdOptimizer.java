package io.sharpsweep.worker.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with PyTorch's {@code torch.optim.SGD} semantics (docs/sam-variants.md#sgd), implemented here
 * because DJL's {@code Sgd} differs (learning rate inside the buffer, no dampening, no Nesterov).
 * Per tensor:
 *
 * <pre>
 *   d = g + λ·w
 *   v = d on the first update, else μ·v + (1 − τ)·d
 *   d = d + μ·v (Nesterov) or d = v
 *   w = w − η_t·d
 * </pre>
 *
 * Buffers live in a manager owned by the optimizer; every temporary of a step is closed with the
 * step.
 *
 * <p><b>Fused path.</b> For float32 PyTorch arrays without Nesterov or dampening, and a positive
 * learning rate, a step is one native call per tensor (DJL's {@code sgdUpdate}: {@code s ← μ'·s +
 * η_t·(g + λw)}, {@code w ← w − s}) instead of six array operations and two temporaries: the same
 * update, with the buffer kept scaled as {@code s = c·v} ({@code c} = the last learning rate, 1 for
 * PyTorch's form) and {@code μ' = μ·η_t/c}, so that {@code s_t = η_t·(μ·v_{t−1} + d_t) = η_t·v_t}.
 * It rounds differently from the six-operation form (both are within 1e-7 of float64), so a
 * checkpoint keeps {@code s} and {@code c} as they are: a resumed run continues bit for bit. Any
 * other step converts the buffers back to PyTorch's form first.
 */
public final class SgdOptimizer implements BaseOptimizer {
  private static final NDIndex ALL = new NDIndex("...");

  /** Name of the buffer scale in a saved state (absent when the buffers are in PyTorch's form). */
  private static final String SCALE = "scale";

  private final SgdSettings settings;
  private final LearningRateSchedule schedule;
  private final NDManager stateManager;
  private final List<NDArray> buffers = new ArrayList<>();

  /** The buffers hold {@code bufferScale·v}, v being PyTorch's momentum buffer. */
  private double bufferScale = 1;

  private long stepCount;

  /**
   * @param parentManager the manager the momentum buffers are kept under (a sub-manager is created
   *     and closed with the optimizer)
   */
  public SgdOptimizer(
      SgdSettings settings, LearningRateSchedule schedule, NDManager parentManager) {
    this.settings = settings;
    this.schedule = schedule;
    this.stateManager = parentManager.newSubManager();
  }

  public SgdSettings settings() {
    return settings;
  }

  @Override
  public void step(List<NDArray> weights, List<NDArray> directions) {
    if (weights.size() != directions.size()) {
      throw new IllegalArgumentException(
          weights.size() + " weights but " + directions.size() + " directions");
    }
    if (weights.isEmpty()) {
      stepCount++;
      return;
    }
    if (!buffers.isEmpty() && buffers.size() != weights.size()) {
      throw new IllegalStateException(
          "optimizer holds " + buffers.size() + " buffers but got " + weights.size() + " tensors");
    }
    double lr = schedule.at(stepCount);
    if (fusable(weights, directions, lr)) {
      fusedStep(weights, directions, lr);
    } else {
      toPyTorchForm();
      arrayStep(weights, directions, lr);
    }
    stepCount++;
  }

  /** The step's hyperparameters as scalar tensors of its scratch manager. */
  private record Scalars(NDArray lr, NDArray mu, NDArray wd, NDArray damp) {}

  /** One step in PyTorch's form with array operations (the buffers in PyTorch's form). */
  private void arrayStep(List<NDArray> weights, List<NDArray> directions, double lr) {
    boolean first = buffers.isEmpty();
    try (NDManager scratch = NDManager.subManagerOf(weights.get(0))) {
      // Temporaries are created in their first operand's manager: attach everything to the scratch
      // manager for the duration of the step so nothing leaks into the model's or the optimizer's
      // long-lived managers.
      scratch.tempAttachAll(weights.toArray(new NDArray[0]));
      scratch.tempAttachAll(directions.toArray(new NDArray[0]));
      if (!first) {
        scratch.tempAttachAll(buffers.toArray(new NDArray[0]));
      }
      // One scalar tensor each per step (float64: exact in a float64 model, rounded to float32 by
      // PyTorch in a float32 one, as its own SGD does with Python floats).
      Scalars t =
          new Scalars(
              scratch.create(lr),
              scratch.create(settings.momentum()),
              scratch.create(settings.weightDecay()),
              scratch.create(1 - settings.dampening()));
      for (int i = 0; i < weights.size(); i++) {
        updateTensor(i, weights.get(i), directions.get(i), t, first);
      }
      if (first) {
        for (NDArray v : buffers) {
          v.attach(stateManager);
        }
      }
    }
  }

  /**
   * Updates weight {@code w} of tensor {@code i} along direction {@code g}; on the {@code first}
   * step, appends its momentum buffer (left in the scratch manager).
   */
  private void updateTensor(int i, NDArray w, NDArray g, Scalars t, boolean first) {
    double mu = settings.momentum();
    double dampening = settings.dampening();
    // d = g + λ·w in a fresh array (the direction may be a view of the gradient storage).
    NDArray d = settings.weightDecay() != 0 ? w.mul(t.wd()).addi(g) : null;
    if (mu != 0) {
      NDArray v;
      if (first) {
        v = d != null ? d : g.duplicate(); // no dampening on the first update (PyTorch)
        // Moved to the optimizer's manager only after the loop, so this step's arithmetic stays
        // in the scratch manager.
        buffers.add(v);
      } else {
        v = buffers.get(i);
        v.muli(t.mu())
            .addi(dampening == 0 ? (d != null ? d : g) : (d != null ? d : g).mul(t.damp()));
      }
      if (settings.nesterov()) {
        d = (d != null ? d : g).add(v.mul(t.mu()));
        w.subi(d.muli(t.lr()));
      } else {
        w.subi(v.mul(t.lr()));
      }
    } else {
      w.subi((d != null ? d : g).mul(t.lr()));
    }
  }

  private boolean fusable(List<NDArray> weights, List<NDArray> directions, double lr) {
    if (settings.nesterov() || settings.dampening() != 0 || !(lr > 0) || Double.isInfinite(lr)) {
      return false;
    }
    for (int i = 0; i < weights.size(); i++) {
      if (!(weights.get(i) instanceof PtNDArray)
          || !(directions.get(i) instanceof PtNDArray)
          || weights.get(i).getDataType() != DataType.FLOAT32
          || directions.get(i).getDataType() != DataType.FLOAT32) {
        return false;
      }
    }
    return true;
  }

  private void fusedStep(List<NDArray> weights, List<NDArray> directions, double lr) {
    double mu = settings.momentum();
    float wd = (float) settings.weightDecay();
    if (mu == 0) {
      for (int i = 0; i < weights.size(); i++) {
        PtNDArray w = (PtNDArray) weights.get(i);
        // no state is read when the momentum is 0: the weight stands in for it
        JniUtils.sgdUpdate(w, (PtNDArray) directions.get(i), w, (float) lr, wd, 1f, -1f, 0f);
      }
      return;
    }
    if (buffers.isEmpty()) {
      for (NDArray w : weights) {
        buffers.add(stateManager.zeros(w.getShape(), w.getDataType()));
      }
      bufferScale = 1;
    }
    float effectiveMomentum = (float) (mu * lr / bufferScale);
    for (int i = 0; i < weights.size(); i++) {
      // clip −1: DJL's sgdUpdate clips only for a non-negative bound
      JniUtils.sgdUpdate(
          (PtNDArray) weights.get(i),
          (PtNDArray) directions.get(i),
          (PtNDArray) buffers.get(i),
          (float) lr,
          wd,
          1f,
          -1f,
          effectiveMomentum);
    }
    bufferScale = lr;
  }

  /** Divides scaled buffers by their scale, in place. */
  private void toPyTorchForm() {
    if (bufferScale != 1) {
      // the scalar in a manager of its own: an array's Number overloads create it in the array's
      // (here the optimizer's long-lived) manager
      try (NDManager scratch = stateManager.newSubManager()) {
        NDArray scale = scratch.create(bufferScale);
        for (NDArray v : buffers) {
          v.divi(scale.toType(v.getDataType(), false));
        }
      }
      bufferScale = 1;
    }
  }

  @Override
  public long stepCount() {
    return stepCount;
  }

  @Override
  public double currentLearningRate() {
    return schedule.at(stepCount);
  }

  /**
   * PyTorch's momentum buffer of tensor {@code i}, a new array in the buffer's manager (for tests
   * and diagnostics).
   */
  public NDArray momentumBuffer(int i) {
    return buffers.get(i).div(bufferScale);
  }

  @Override
  public NDList saveState(NDManager manager) {
    NDList out = new NDList(buffers.size());
    for (int i = 0; i < buffers.size(); i++) {
      NDArray copy = buffers.get(i).duplicate();
      copy.attach(manager);
      copy.setName(Integer.toString(i));
      out.add(copy);
    }
    if (!buffers.isEmpty() && bufferScale != 1) {
      NDArray scale = manager.create(bufferScale);
      scale.setName(SCALE);
      out.add(scale);
    }
    return out;
  }

  @Override
  public void loadState(NDList state, long stepCount) {
    if (stepCount < 0) {
      throw new IllegalArgumentException("step count must be >= 0, got " + stepCount);
    }
    buffers.forEach(NDArray::close);
    buffers.clear();
    bufferScale = 1;
    int tensors = state.size();
    if (tensors > 0 && SCALE.equals(state.get(tensors - 1).getName())) {
      tensors--;
      bufferScale = state.get(tensors).toType(DataType.FLOAT64, false).getDouble();
      if (!(bufferScale > 0) || Double.isInfinite(bufferScale)) {
        throw new IllegalArgumentException("optimizer state scale must be > 0, got " + bufferScale);
      }
    }
    for (int i = 0; i < tensors; i++) {
      NDArray src = state.get(i);
      if (src.getName() != null && !src.getName().equals(Integer.toString(i))) {
        throw new IllegalArgumentException(
            "optimizer state tensor " + i + " is named '" + src.getName() + "'");
      }
      NDArray copy = stateManager.zeros(src.getShape(), src.getDataType());
      copy.set(ALL, src);
      buffers.add(copy);
    }
    this.stepCount = stepCount;
  }

  @Override
  public void close() {
    stateManager.close();
  }
}
