package io.sharpsweep.worker.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.data.TrainingData;
import io.sharpsweep.worker.model.ModelArchitecture;
import io.sharpsweep.worker.model.SeededInitializer;
import io.sharpsweep.worker.optim.BaseOptimizer;
import io.sharpsweep.worker.optim.LearningRateSchedule;
import io.sharpsweep.worker.optim.SgdOptimizer;
import io.sharpsweep.worker.optim.SgdSettings;
import io.sharpsweep.worker.sam.StepRule;
import io.sharpsweep.worker.sam.StepStats;
import io.sharpsweep.worker.sam.TrainingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A model, its optimizer and the real context, stepping a rule over the first batches of a dataset
 * in order: for the engine-level tests of docs/sam-variants.md#tests (equivalences, costs, BN,
 * restore). Counts the optimizer's {@code step} calls.
 */
final class StepHarness implements AutoCloseable {
  final NDManager trial;
  final Block block;
  final SgdOptimizer sgd;
  final CostCounters cost = new CostCounters();
  final DjlTrainingContext context;
  final TrainingData data;
  int optimizerCalls;

  StepHarness(
      NDManager root,
      ModelArchitecture model,
      TrainingData data,
      SgdSettings settings,
      long totalIterations,
      long seed) {
    this.trial = root.newSubManager();
    this.data = data;
    this.block = model.build(data.sampleShape(), data.classes());
    block.initialize(trial, DataType.FLOAT32, new Shape(1).addAll(data.sampleShape()));
    SeededInitializer.initialise(block, seed);
    this.sgd =
        new SgdOptimizer(settings, LearningRateSchedule.constant(settings.learningRate()), trial);
    BaseOptimizer counting =
        new BaseOptimizer() {
          @Override
          public void step(List<NDArray> weights, List<NDArray> directions) {
            optimizerCalls++;
            sgd.step(weights, directions);
          }

          @Override
          public long stepCount() {
            return sgd.stepCount();
          }

          @Override
          public double currentLearningRate() {
            return sgd.currentLearningRate();
          }

          @Override
          public ai.djl.ndarray.NDList saveState(NDManager manager) {
            return sgd.saveState(manager);
          }

          @Override
          public void loadState(ai.djl.ndarray.NDList state, long stepCount) {
            sgd.loadState(state, stepCount);
          }

          @Override
          public void close() {
            sgd.close();
          }
        };
    this.context =
        new DjlTrainingContext(
            TorchRuntime.engine(), block, counting, cost, totalIterations, trial);
  }

  /** Runs iteration {@code i} on training rows {@code [i·b, (i+1)·b)} (wrapping around). */
  StepStats step(StepRule rule, int i, int batchSize) {
    return step(rule, i, batchSize, ctx -> ctx);
  }

  /** As {@link #step(StepRule, int, int)}, with the rule seeing {@code wrap(context)}. */
  StepStats step(StepRule rule, int i, int batchSize, UnaryOperator<TrainingContext> wrap) {
    int batches = data.train().size() / batchSize;
    int from = (i % batches) * batchSize;
    try (NDManager step = trial.newSubManager()) {
      Batch batch = data.train().slice(step, from, from + batchSize);
      return context.runStep((ctx, b) -> rule.step(wrap.apply(ctx), b), batch, step);
    }
  }

  List<StepStats> run(StepRule rule, int steps, int batchSize) {
    List<StepStats> out = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      out.add(step(rule, i, batchSize));
    }
    return out;
  }

  /** Every parameter of the block (running statistics included), as host arrays. */
  float[][] parameters() {
    List<float[]> out = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.add(p.getValue().getArray().toFloatArray());
    }
    return out.toArray(float[][]::new);
  }

  @Override
  public void close() {
    trial.close();
  }
}
