package io.sharpsweep.worker.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.optim.BaseOptimizer;
import io.sharpsweep.worker.sam.Pass;
import io.sharpsweep.worker.sam.RunningStatsSnapshot;
import io.sharpsweep.worker.sam.TrainingContext;
import java.util.List;

/** A context that hands every call to another: tests override what they observe. */
abstract class ForwardingContext implements TrainingContext {
  final TrainingContext inner;

  ForwardingContext(TrainingContext inner) {
    this.inner = inner;
  }

  @Override
  public NDManager stepManager() {
    return inner.stepManager();
  }

  @Override
  public NDManager stateManager() {
    return inner.stateManager();
  }

  @Override
  public List<Parameter> parameters() {
    return inner.parameters();
  }

  @Override
  public List<NDArray> weights() {
    return inner.weights();
  }

  @Override
  public Pass forwardBackward(Batch batch, boolean perExampleLosses, boolean[] excluded) {
    return inner.forwardBackward(batch, perExampleLosses, excluded);
  }

  @Override
  public NDArray forwardLosses(Batch batch) {
    return inner.forwardLosses(batch);
  }

  @Override
  public List<NDArray> gradients() {
    return inner.gradients();
  }

  @Override
  public void zeroGradients() {
    inner.zeroGradients();
  }

  @Override
  public RunningStatsSnapshot snapshotRunningStats() {
    return inner.snapshotRunningStats();
  }

  @Override
  public BaseOptimizer optimizer() {
    return inner.optimizer();
  }

  @Override
  public long iteration() {
    return inner.iteration();
  }

  @Override
  public long totalIterations() {
    return inner.totalIterations();
  }
}
