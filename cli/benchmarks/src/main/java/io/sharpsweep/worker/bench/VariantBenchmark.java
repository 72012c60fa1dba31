package io.sharpsweep.worker.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.data.DatasetCache;
import io.sharpsweep.worker.data.DatasetLoader;
import io.sharpsweep.worker.data.EpochOrder;
import io.sharpsweep.worker.data.Split;
import io.sharpsweep.worker.data.TrainingData;
import io.sharpsweep.worker.engine.CostCounters;
import io.sharpsweep.worker.engine.DjlTrainingContext;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.engine.TrainingConfig;
import io.sharpsweep.worker.model.ModelArchitecture;
import io.sharpsweep.worker.model.ModelCatalog;
import io.sharpsweep.worker.model.SeededInitializer;
import io.sharpsweep.worker.optim.CosineSchedule;
import io.sharpsweep.worker.optim.SgdOptimizer;
import io.sharpsweep.worker.sam.StepRule;
import io.sharpsweep.worker.sam.StepStats;
import io.sharpsweep.worker.sam.Variants;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the training step of every variant on the same model, batch size and data in one run:
 * rounds of a few steps per variant, the variant order rotating each round, so that drift of a
 * shared machine (other processes, thermal state) hits all variants alike. Each variant trains its
 * own copy of the model from the same initial weights through the real context and optimizer; a
 * step's time covers the batch gather, every pass, the optimizer and freeing the step's arrays.
 * Reports the median step time per variant and its ratio to SGD's median.
 */
public final class VariantBenchmark {

  /**
   * What to time.
   *
   * @param model a model name ({@code mlp}, {@code cnn-small}, …)
   * @param steps timed steps per variant
   * @param warmupSteps untimed steps per variant before them
   * @param roundSteps steps per variant per round
   * @param variants variant → its trial configuration (knobs); the first must be {@code sgd} for
   *     the ratios
   */
  public record Request(
      String model,
      int batchSize,
      int steps,
      int warmupSteps,
      int roundSteps,
      DatasetSpec dataset,
      Map<String, Map<String, Object>> variants,
      long seed) {}

  /**
   * One variant's timing.
   *
   * @param stepMillisMedian the median step time; for a variant that mixes SAM and ERM steps, the
   *     median of each kind weighted by the realised SAM fraction ({@code r·median(SAM) + (1 −
   *     r)·median(ERM)}): the expected step time, robust to outliers like a median (a plain median
   *     of a mixture would pick one kind)
   * @param stepMillisMean the plain mean of the timed steps
   * @param stepMillisQuartiles the 25th and 75th percentiles of all timed steps
   * @param ratioToSgd {@code stepMillisMedian / sgd's}
   * @param samStepFraction share of SAM steps among the timed ones
   * @param forwardPasses forward passes of the whole run (warm-up included)
   */
  public record Timing(
      double stepMillisMedian,
      double stepMillisMean,
      double[] stepMillisQuartiles,
      double ratioToSgd,
      double samStepFraction,
      long forwardPasses,
      long backwardPasses) {}

  /** The whole run. */
  public record Result(
      String model,
      int batchSize,
      int steps,
      String dataset,
      int intraOpThreads,
      Map<String, Timing> variants) {}

  /** The variants and knobs {@code bench-train} times: every variant with its default knobs. */
  public static Map<String, Map<String, Object>> defaultVariants(double lr) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (String v : Variants.names()) {
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("variant", v);
      config.put("lr", lr);
      out.put(v, config);
    }
    return out;
  }

  private VariantBenchmark() {}

  private static final class Lane {
    final String name;
    final StepRule rule;
    final SgdOptimizer optimizer;
    final DjlTrainingContext context;
    final List<Double> millis = new ArrayList<>();
    final List<Double> samMillis = new ArrayList<>();
    final List<Double> ermMillis = new ArrayList<>();
    int done;
    final CostCounters cost;

    Lane(
        String name,
        StepRule rule,
        SgdOptimizer optimizer,
        DjlTrainingContext context,
        CostCounters cost) {
      this.name = name;
      this.rule = rule;
      this.optimizer = optimizer;
      this.context = context;
      this.cost = cost;
    }

    /** r·median(SAM steps) + (1 − r)·median(ERM steps). */
    double expectedMedian() {
      double r = (double) samMillis.size() / millis.size();
      return (samMillis.isEmpty() ? 0 : r * percentile(samMillis, 0.5))
          + (ermMillis.isEmpty() ? 0 : (1 - r) * percentile(ermMillis, 0.5));
    }
  }

  public static Result run(Request r, DatasetLoader loader) {
    if (r.steps() < 1 || r.roundSteps() < 1 || r.warmupSteps() < 0) {
      throw new IllegalArgumentException("steps and round steps must be >= 1, warm-up >= 0");
    }
    if (!r.variants().containsKey("sgd")) {
      throw new IllegalArgumentException("the benchmark needs sgd as the reference");
    }
    Engine engine = TorchRuntime.engine();
    TorchRuntime.gradientRecordingOffOnThisThread();
    ModelArchitecture architecture = ModelCatalog.forName(r.model());
    int total = r.warmupSteps() + r.steps();
    Map<String, Timing> timings = new LinkedHashMap<>();
    try (NDManager root = engine.newBaseManager();
        DatasetCache cache = new DatasetCache(loader, root)) {
      TrainingData data = cache.get(r.dataset());
      Split train = data.train();
      if (train.size() < r.batchSize()) {
        throw new IllegalArgumentException(
            "the training split has "
                + train.size()
                + " examples, fewer than one batch of "
                + r.batchSize());
      }
      long[] order = EpochOrder.permutation(train.size(), r.seed(), 1);
      int batches = train.size() / r.batchSize();
      List<Lane> lanes = new ArrayList<>();
      for (Map.Entry<String, Map<String, Object>> v : r.variants().entrySet()) {
        Map<String, Object> config = new LinkedHashMap<>(v.getValue());
        config.put("batch-size", r.batchSize());
        TrainingConfig tc = TrainingConfig.from(config);
        StepRule rule = Variants.create(tc.variant(), config, r.seed());
        NDManager laneManager = root.newSubManager();
        Block block = architecture.build(data.sampleShape(), data.classes());
        engine.setRandomSeed((int) EpochOrder.mix(r.seed(), 0x5EEDL));
        block.initialize(laneManager, DataType.FLOAT32, new Shape(1).addAll(data.sampleShape()));
        SeededInitializer.initialise(block, r.seed());
        SgdOptimizer optimizer =
            new SgdOptimizer(
                tc.sgd(), new CosineSchedule(tc.sgd().learningRate(), total), laneManager);
        CostCounters cost = new CostCounters();
        DjlTrainingContext ctx =
            new DjlTrainingContext(engine, block, optimizer, cost, total, laneManager);
        lanes.add(new Lane(v.getKey(), rule, optimizer, ctx, cost));
      }
      NDManager parent = train.features().getManager();
      int round = 0;
      while (lanes.stream().anyMatch(l -> l.done < total)) {
        for (int j = 0; j < lanes.size(); j++) {
          Lane lane = lanes.get((j + round) % lanes.size());
          for (int s = 0; s < r.roundSteps() && lane.done < total; s++) {
            int bi = lane.done % batches;
            long[] rows = Arrays.copyOfRange(order, bi * r.batchSize(), (bi + 1) * r.batchSize());
            long t0 = System.nanoTime();
            StepStats stats;
            try (NDManager step = parent.newSubManager()) {
              Batch batch = train.gather(step, rows);
              stats = lane.context.runStep(lane.rule, batch, step);
            }
            long nanos = System.nanoTime() - t0;
            if (lane.done >= r.warmupSteps()) {
              lane.millis.add(nanos / 1e6);
              (stats.samStep() ? lane.samMillis : lane.ermMillis).add(nanos / 1e6);
            }
            lane.done++;
          }
        }
        round++;
      }
      double sgdMedian = lanes.get(indexOf(lanes, "sgd")).expectedMedian();
      for (Lane lane : lanes) {
        double median = lane.expectedMedian();
        timings.put(
            lane.name,
            new Timing(
                median,
                lane.millis.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                new double[] {percentile(lane.millis, 0.25), percentile(lane.millis, 0.75)},
                median / sgdMedian,
                (double) lane.samMillis.size() / lane.millis.size(),
                lane.cost.totals().forwardPasses(),
                lane.cost.totals().backwardPasses()));
        lane.optimizer.close();
      }
      return new Result(
          r.model(), r.batchSize(), r.steps(), data.name(), TorchRuntime.intraOpThreads(), timings);
    }
  }

  private static int indexOf(List<Lane> lanes, String name) {
    for (int i = 0; i < lanes.size(); i++) {
      if (lanes.get(i).name.equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("no lane " + name);
  }

  /** Linear interpolation between order statistics. */
  static double percentile(List<Double> values, double q) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    double pos = q * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }
}
