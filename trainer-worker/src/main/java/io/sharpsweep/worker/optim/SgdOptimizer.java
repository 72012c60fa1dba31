package io.sharpsweep.worker.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with PyTorch's {@code torch.optim.SGD} semantics (SAM-VARIANTS.md §2), implemented here
 * because DJL's {@code Sgd} differs (learning rate inside the buffer, no dampening, no Nesterov;
 * §1.3). Per tensor:
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
 */
public final class SgdOptimizer implements BaseOptimizer {
  private static final NDIndex ALL = new NDIndex("...");

  private final SgdSettings settings;
  private final LearningRateSchedule schedule;
  private final NDManager stateManager;
  private final List<NDArray> buffers = new ArrayList<>();
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
    double mu = settings.momentum();
    double wd = settings.weightDecay();
    double dampening = settings.dampening();
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
      NDArray lrT = scratch.create(lr);
      NDArray muT = scratch.create(mu);
      NDArray wdT = scratch.create(wd);
      NDArray dampT = scratch.create(1 - dampening);
      for (int i = 0; i < weights.size(); i++) {
        NDArray w = weights.get(i);
        NDArray g = directions.get(i);
        // d = g + λ·w in a fresh array (the direction may be a view of the gradient storage).
        NDArray d = wd != 0 ? w.mul(wdT).addi(g) : null;
        if (mu != 0) {
          NDArray v;
          if (first) {
            v = d != null ? d : g.duplicate(); // no dampening on the first update (PyTorch)
            // Moved to the optimizer's manager only after the loop, so this step's arithmetic stays
            // in the scratch manager.
            buffers.add(v);
          } else {
            v = buffers.get(i);
            v.muli(muT).addi(dampening == 0 ? (d != null ? d : g) : (d != null ? d : g).mul(dampT));
          }
          if (settings.nesterov()) {
            d = (d != null ? d : g).add(v.mul(muT));
            w.subi(d.muli(lrT));
          } else {
            w.subi(v.mul(lrT));
          }
        } else {
          w.subi((d != null ? d : g).mul(lrT));
        }
      }
      if (first) {
        for (NDArray v : buffers) {
          v.attach(stateManager);
        }
      }
    }
    stepCount++;
  }

  @Override
  public long stepCount() {
    return stepCount;
  }

  @Override
  public double currentLearningRate() {
    return schedule.at(stepCount);
  }

  /** The momentum buffer of tensor {@code i} (for tests and diagnostics). */
  public NDArray momentumBuffer(int i) {
    return buffers.get(i);
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
    return out;
  }

  @Override
  public void loadState(NDList state, long stepCount) {
    if (stepCount < 0) {
      throw new IllegalArgumentException("step count must be >= 0, got " + stepCount);
    }
    buffers.forEach(NDArray::close);
    buffers.clear();
    for (int i = 0; i < state.size(); i++) {
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
