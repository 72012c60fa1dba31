package io.sharpsweep.worker.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.optim.BaseOptimizer;
import io.sharpsweep.worker.sam.Pass;
import io.sharpsweep.worker.sam.RunningStatsSnapshot;
import io.sharpsweep.worker.sam.StepRule;
import io.sharpsweep.worker.sam.StepStats;
import io.sharpsweep.worker.sam.TrainingContext;
import io.sharpsweep.worker.sam.TrainingDivergedException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link TrainingContext} over a DJL block. For the length of one iteration every parameter
 * array is temporarily attached to the iteration's manager, so all intermediate results (gradients,
 * activations, optimizer temporaries) are created there and freed when it closes; the parameters go
 * back to the model's manager afterwards.
 */
public final class DjlTrainingContext implements TrainingContext {
  private static final NDIndex ALL = new NDIndex("...");

  private final Engine engine;
  private final Block block;
  private final List<Parameter> trainable = new ArrayList<>();
  private final List<Parameter> runningStats = new ArrayList<>();
  private final BaseOptimizer optimizer;
  private final CostCounters cost;
  private final long totalIterations;
  private final NDManager stateManager;

  private NDManager step;
  private List<NDArray> weights;
  private List<NDArray> gradients;
  private boolean gradientsAllocated;

  /**
   * @param stateManager lives as long as the trial: rules keep their cross-iteration tensors there
   */
  public DjlTrainingContext(
      Engine engine,
      Block block,
      BaseOptimizer optimizer,
      CostCounters cost,
      long totalIterations,
      NDManager stateManager) {
    this.engine = engine;
    this.block = block;
    this.optimizer = optimizer;
    this.cost = cost;
    this.totalIterations = totalIterations;
    this.stateManager = stateManager;
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        trainable.add(p.getValue());
      } else if (p.getValue().getType() == Parameter.Type.RUNNING_MEAN
          || p.getValue().getType() == Parameter.Type.RUNNING_VAR) {
        runningStats.add(p.getValue());
      }
    }
  }

  /**
   * Runs one iteration of {@code rule} on {@code batch}; {@code stepManager} is closed by the
   * caller.
   */
  public StepStats runStep(StepRule rule, Batch batch, NDManager stepManager) {
    this.step = stepManager;
    List<NDArray> all = new ArrayList<>(trainable.size() + runningStats.size());
    trainable.forEach(p -> all.add(p.getArray()));
    runningStats.forEach(p -> all.add(p.getArray()));
    stepManager.tempAttachAll(all.toArray(new NDArray[0]));
    this.weights = List.copyOf(all.subList(0, trainable.size()));
    long before = optimizer.stepCount();
    try {
      StepStats stats = rule.step(this, batch);
      if (optimizer.stepCount() != before + 1) {
        throw new IllegalStateException(
            rule.getClass().getSimpleName()
                + " advanced the optimizer "
                + (optimizer.stepCount() - before)
                + " times in one iteration (must be exactly once)");
      }
      cost.step(stats.samStep());
      return stats;
    } finally {
      this.weights = null;
      this.gradients = null;
      this.step = null;
    }
  }

  @Override
  public NDManager stepManager() {
    requireStep();
    return step;
  }

  @Override
  public NDManager stateManager() {
    return stateManager;
  }

  @Override
  public List<Parameter> parameters() {
    return List.copyOf(trainable);
  }

  @Override
  public List<NDArray> weights() {
    requireStep();
    return weights;
  }

  @Override
  public Pass forwardBackward(Batch batch, boolean perExampleLosses, boolean[] excluded) {
    requireStep();
    double loss;
    NDArray perExample = null;
    gradients = null; // the backward may define gradient storage that was undefined before
    if (excluded != null) {
      for (int i = 0; i < excluded.length; i++) {
        if (excluded[i]) {
          weights.get(i).setRequiresGradient(false);
        }
      }
    }
    // The pass's activations live in their own manager, freed as soon as the backward is done:
    // otherwise pass 1's would stay allocated until the end of the iteration and pass 2 would run
    // on freshly mapped memory, which is measurably slower.
    try (NDManager pass = step.newSubManager();
        GradientCollector collector = engine.newGradientCollector()) {
      pass.tempAttachAll(batch.x(), batch.y());
      NDArray losses = perExampleCrossEntropy(forward(batch), batch.y());
      NDArray mean = losses.mean();
      collector.backward(mean);
      loss = mean.getDataType() == DataType.FLOAT64 ? mean.getDouble() : mean.getFloat();
      if (perExampleLosses) {
        perExample = losses.stopGradient();
        perExample.attach(step);
      }
    } finally {
      if (excluded != null) {
        for (int i = 0; i < excluded.length; i++) {
          if (excluded[i]) {
            weights.get(i).setRequiresGradient(true);
          }
        }
      }
    }
    gradientsAllocated = true;
    cost.forwardBackward(batch.size());
    checkFinite(loss);
    return new Pass(loss, perExample);
  }

  @Override
  public NDArray forwardLosses(Batch batch) {
    requireStep();
    NDArray losses;
    try (NDManager pass = step.newSubManager()) {
      pass.tempAttachAll(batch.x(), batch.y());
      losses = perExampleCrossEntropy(forward(batch), batch.y());
      losses.attach(step);
    }
    cost.forwardOnly(batch.size());
    return losses;
  }

  private NDArray forward(Batch batch) {
    return block
        .forward(new ParameterStore(step, false), new NDList(batch.x()), true)
        .singletonOrThrow();
  }

  private void checkFinite(double loss) {
    if (!Double.isFinite(loss)) {
      throw new TrainingDivergedException(
          "training loss became "
              + loss
              + " at iteration "
              + iteration()
              + " (of "
              + totalIterations
              + ")");
    }
  }

  @Override
  public List<NDArray> gradients() {
    requireStep();
    if (!gradientsAllocated) {
      throw new IllegalStateException("no gradients yet: run forwardBackward first");
    }
    if (gradients == null) {
      List<NDArray> out = new ArrayList<>(weights.size());
      for (NDArray w : weights) {
        out.add(w.getGradient());
      }
      gradients = List.copyOf(out);
    }
    return gradients;
  }

  @Override
  public void zeroGradients() {
    requireStep();
    if (!gradientsAllocated) {
      return; // before the first backward the gradient storage does not exist yet
    }
    for (NDArray w : weights) {
      if (w instanceof PtNDArray pt) {
        JniUtils.zeroGrad(pt); // grad.zero_() in place: cheaper than an indexed fill
      } else {
        w.getGradient().set(ALL, 0f);
      }
    }
  }

  @Override
  public RunningStatsSnapshot snapshotRunningStats() {
    requireStep();
    List<NDArray> live = new ArrayList<>(runningStats.size());
    List<NDArray> saved = new ArrayList<>(runningStats.size());
    for (Parameter p : runningStats) {
      live.add(p.getArray());
      saved.add(p.getArray().duplicate());
    }
    return new RunningStatsSnapshot(live, saved);
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

  /**
   * Mean softmax cross-entropy of {@code logits (B, C)} against class indices {@code labels (B)}.
   */
  static NDArray crossEntropy(NDArray logits, NDArray labels) {
    return perExampleCrossEntropy(logits, labels).mean();
  }

  static NDArray perExampleCrossEntropy(NDArray logits, NDArray labels) {
    long b = labels.getShape().get(0);
    return logits.logSoftmax(1).gather(labels.reshape(b, 1), 1).reshape(b).neg();
  }

  private void requireStep() {
    if (step == null) {
      throw new IllegalStateException("the training context is used outside an iteration");
    }
  }
}
