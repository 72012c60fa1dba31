package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.optim.BaseOptimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A context with given weights, parameter types and gradients and no model: for the perturbation
 * and direction formulas of docs/sam-variants.md#tests on hand-computed numbers.
 */
final class FixedContext implements TrainingContext {
  private final NDManager manager;
  private final List<NDArray> weights = new ArrayList<>();
  private final List<NDArray> gradients = new ArrayList<>();
  private final List<Parameter> parameters = new ArrayList<>();
  long iteration;

  FixedContext(NDManager manager) {
    this.manager = manager;
  }

  FixedContext tensor(Parameter.Type type, float[] w, float[] g) {
    weights.add(manager.create(w));
    gradients.add(manager.create(g));
    parameters.add(Parameter.builder().setName("p" + parameters.size()).setType(type).build());
    return this;
  }

  GradientInfo gradient() {
    return new GradientInfo(gradients, null, iteration);
  }

  GradientInfo gradient(boolean[] excluded) {
    return new GradientInfo(gradients, excluded, iteration);
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
    return parameters;
  }

  @Override
  public List<NDArray> weights() {
    return weights;
  }

  @Override
  public Pass forwardBackward(Batch batch, boolean perExampleLosses, boolean[] excluded) {
    throw new UnsupportedOperationException();
  }

  @Override
  public NDArray forwardLosses(Batch batch) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<NDArray> gradients() {
    return gradients;
  }

  @Override
  public void zeroGradients() {
    throw new UnsupportedOperationException();
  }

  @Override
  public RunningStatsSnapshot snapshotRunningStats() {
    throw new UnsupportedOperationException();
  }

  @Override
  public BaseOptimizer optimizer() {
    throw new UnsupportedOperationException();
  }

  @Override
  public long iteration() {
    return iteration;
  }

  @Override
  public long totalIterations() {
    return 100;
  }
}
