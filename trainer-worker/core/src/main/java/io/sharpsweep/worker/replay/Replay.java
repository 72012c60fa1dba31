package io.sharpsweep.worker.replay;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.engine.CostCounters;
import io.sharpsweep.worker.engine.DjlTrainingContext;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.engine.TrainingConfig;
import io.sharpsweep.worker.model.Mlp;
import io.sharpsweep.worker.optim.LearningRateSchedule;
import io.sharpsweep.worker.optim.SgdOptimizer;
import io.sharpsweep.worker.sam.StepRule;
import io.sharpsweep.worker.sam.StepStats;
import io.sharpsweep.worker.sam.Variants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replay mode: exactly {@code K} steps of a variant on the 784-256-128-10 ReLU MLP from given
 * weights and batches, no shuffling, no randomness but ESAM's mask (seeded), so that anyone can
 * check the implementation against another one. Weights are read and written in PyTorch's layout
 * ({@code fc1.weight} [256, 784], {@code fc1.bias} [256], … {@code fc3.bias} [10]); batches are
 * {@code x} [K, B, 784] and {@code y} [K, B] (int64). The learning rate is constant; AE-SAM's
 * {@code T} is {@code K}. In float64 mode every tensor and scalar of the computation is float64.
 */
public final class Replay {
  /** The MLP's tensors in PyTorch's names and order, with their shapes. */
  public static final List<String> NAMES =
      List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");

  static final List<Shape> SHAPES =
      List.of(
          new Shape(256, 784),
          new Shape(256),
          new Shape(128, 256),
          new Shape(128),
          new Shape(10, 128),
          new Shape(10));

  private static final NDIndex ALL = new NDIndex("...");

  /**
   * What to replay.
   *
   * @param variant a variant name ({@code sgd}, {@code sam}, …)
   * @param config the knobs ({@code lr}, {@code momentum}, {@code weight-decay}, {@code nesterov},
   *     {@code rho}, …) as in a trial configuration
   * @param steps K
   * @param dataType FLOAT32 or FLOAT64
   * @param seed seeds ESAM's mask (and RST's decisions)
   */
  public record Request(
      String variant,
      Map<String, Object> config,
      Path params,
      Path batches,
      int steps,
      DataType dataType,
      long seed,
      Path out) {}

  /** What the replay did: per-step losses (pass 1) and which steps were SAM steps. */
  public record Result(int steps, int samSteps, List<Double> losses, List<Boolean> samStep) {}

  private Replay() {}

  public static Result run(Request r) {
    if (r.dataType() != DataType.FLOAT32 && r.dataType() != DataType.FLOAT64) {
      throw new IllegalArgumentException("dtype must be float32 or float64, got " + r.dataType());
    }
    if (r.steps() < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + r.steps());
    }
    Map<String, Object> config = new LinkedHashMap<>(r.config());
    config.put("variant", r.variant());
    TrainingConfig training = TrainingConfig.from(config);
    StepRule rule = Variants.create(r.variant(), config, r.seed());
    Map<String, Npz.Entry> params = Npz.read(r.params());
    Map<String, Npz.Entry> batches = Npz.read(r.batches());
    Npz.Entry x = require(batches, "x", r.batches());
    Npz.Entry y = require(batches, "y", r.batches());
    checkBatches(r, x, y);
    int b = Math.toIntExact(x.shape().get(1));

    Engine engine = TorchRuntime.engine();
    TorchRuntime.gradientRecordingOffOnThisThread();
    List<Double> losses = new ArrayList<>();
    List<Boolean> sam = new ArrayList<>();
    try (NDManager trial = engine.newBaseManager()) {
      Block block = new Mlp().build(new Shape(784), 10);
      block.initialize(trial, r.dataType(), new Shape(1, 784));
      List<Parameter> trainable = new ArrayList<>();
      for (Pair<String, Parameter> p : block.getParameters()) {
        trainable.add(p.getValue());
      }
      loadParams(r, params, trainable, trial);
      NDArray allX = x.toNDArray(trial).toType(r.dataType(), false);
      NDArray allY = y.toNDArray(trial).toType(DataType.INT64, false);
      try (SgdOptimizer optimizer =
          new SgdOptimizer(
              training.sgd(),
              LearningRateSchedule.constant(training.sgd().learningRate()),
              trial)) {
        DjlTrainingContext ctx =
            new DjlTrainingContext(engine, block, optimizer, new CostCounters(), r.steps(), trial);
        for (int k = 0; k < r.steps(); k++) {
          try (NDManager step = trial.newSubManager()) {
            NDIndex at = new NDIndex(k);
            NDArray bx = allX.get(at);
            NDArray by = allY.get(at);
            bx.attach(step);
            by.attach(step);
            StepStats stats = ctx.runStep(rule, new Batch(bx, by, b), step);
            losses.add(stats.loss());
            sam.add(stats.samStep());
          }
        }
      }
      List<Npz.Entry> out = new ArrayList<>();
      for (int i = 0; i < NAMES.size(); i++) {
        out.add(Npz.Entry.of(NAMES.get(i), trainable.get(i).getArray()));
      }
      Npz.write(r.out(), out);
    }
    int samSteps = (int) sam.stream().filter(s -> s).count();
    return new Result(r.steps(), samSteps, List.copyOf(losses), List.copyOf(sam));
  }

  /** Refuses batches that are not {@code x [K, B, 784]}, {@code y [K, B]} int with K ≥ steps. */
  private static void checkBatches(Request r, Npz.Entry x, Npz.Entry y) {
    long[] xs = x.shape().getShape();
    long[] ys = y.shape().getShape();
    if (xs.length != 3 || xs[2] != 784) {
      throw new NpzException(r.batches() + ": x must have shape [K, B, 784], got " + x.shape());
    }
    if (ys.length != 2 || ys[0] != xs[0] || ys[1] != xs[1]) {
      throw new NpzException(
          r.batches()
              + ": y must have shape [K, B] = ["
              + xs[0]
              + ", "
              + xs[1]
              + "], got "
              + y.shape());
    }
    if (y.dataType() != DataType.INT64 && y.dataType() != DataType.INT32) {
      throw new NpzException(r.batches() + ": y must be int64, got " + y.dataType());
    }
    if (xs[0] < r.steps()) {
      throw new NpzException(
          r.batches()
              + " holds "
              + xs[0]
              + " batches, fewer than the "
              + r.steps()
              + " steps asked for");
    }
  }

  /** Sets the model's parameters, in {@link #NAMES} order, to the file's (checked) arrays. */
  private static void loadParams(
      Request r, Map<String, Npz.Entry> params, List<Parameter> trainable, NDManager trial) {
    for (int i = 0; i < NAMES.size(); i++) {
      Npz.Entry e = require(params, NAMES.get(i), r.params());
      if (!e.shape().equals(SHAPES.get(i))) {
        throw new NpzException(
            r.params()
                + ": "
                + NAMES.get(i)
                + " must have shape "
                + SHAPES.get(i)
                + ", got "
                + e.shape());
      }
      if (e.dataType() != DataType.FLOAT32 && e.dataType() != DataType.FLOAT64) {
        throw new NpzException(
            r.params() + ": " + NAMES.get(i) + " must be float32 or float64, got " + e.dataType());
      }
      try (NDManager io = trial.newSubManager()) {
        trainable.get(i).getArray().set(ALL, e.toNDArray(io).toType(r.dataType(), false));
      }
    }
  }

  private static Npz.Entry require(Map<String, Npz.Entry> entries, String name, Path file) {
    Npz.Entry e = entries.get(name);
    if (e == null) {
      throw new NpzException(
          file + " has no array '" + name + "' (it has " + entries.keySet() + ")");
    }
    return e;
  }
}
