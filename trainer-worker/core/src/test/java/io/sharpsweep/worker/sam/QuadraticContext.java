package io.sharpsweep.worker.sam;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.optim.BaseOptimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TrainingContext} whose loss is the quadratic of T3 in docs/sam-variants.md#tests, {@code
 * L(w) = ½wᵀAw − bᵀw} with {@code A = [[3,1],[1,2]]}, {@code b = [1,−1]}, computed with DJL
 * autograd (so gradients accumulate as in the real context). Records the weights each pass saw. One
 * WEIGHT tensor; the batch is ignored.
 */
final class QuadraticContext implements TrainingContext {
  private final Engine engine;
  private final NDManager manager;
  private final NDArray w;
  private final NDArray a;
  private final NDArray b;
  private final BaseOptimizer optimizer;
  private boolean gradientsAllocated;
  final List<float[]> weightsSeenByPasses = new ArrayList<>();
  int forwardBackwardCalls;
  long totalIterations = 100;

  QuadraticContext(Engine engine, NDManager manager, float[] w0, BaseOptimizer optimizer) {
    this.engine = engine;
    this.manager = manager;
    this.w = manager.create(w0);
    this.w.setRequiresGradient(true);
    this.a = manager.create(new float[][] {{3f, 1f}, {1f, 2f}});
    this.b = manager.create(new float[] {1f, -1f});
    this.optimizer = optimizer;
  }

  NDArray w() {
    return w;
  }

  @Override
  public NDManager stepManager() {
    return manager;
  }

  @Override
  public NDManager stateManager() {
    return manager;
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build());
  }

  @Override
  public List<NDArray> weights() {
    return List.of(w);
  }

  @Override
  public Pass forwardBackward(Batch batch, boolean perExampleLosses, boolean[] excluded) {
    weightsSeenByPasses.add(w.toFloatArray());
    forwardBackwardCalls++;
    try (GradientCollector c = engine.newGradientCollector()) {
      NDArray loss = w.dot(a.matMul(w)).mul(0.5f).sub(b.dot(w));
      c.backward(loss);
      gradientsAllocated = true;
      return new Pass(loss.getFloat(), null);
    }
  }

  @Override
  public NDArray forwardLosses(Batch batch) {
    throw new UnsupportedOperationException("the quadratic has no examples");
  }

  @Override
  public List<NDArray> gradients() {
    return List.of(w.getGradient());
  }

  @Override
  public void zeroGradients() {
    if (gradientsAllocated) {
      w.getGradient().set(new NDIndex("..."), 0f);
    }
  }

  @Override
  public RunningStatsSnapshot snapshotRunningStats() {
    return new RunningStatsSnapshot(List.of(), List.of());
  }

  @Override
  public BaseOptimizer optimizer() {
    return optimizer;
  }

  @Override
  public long iteration() {
    return optimizer.stepCount();
  }

  @Override
  public long totalIterations() {
    return totalIterations;
  }
}
