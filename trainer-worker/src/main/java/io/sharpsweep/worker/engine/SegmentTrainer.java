package io.sharpsweep.worker.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.data.DatasetCache;
import io.sharpsweep.worker.data.DatasetException;
import io.sharpsweep.worker.data.EpochOrder;
import io.sharpsweep.worker.data.Split;
import io.sharpsweep.worker.data.TrainingData;
import io.sharpsweep.worker.model.ModelArchitecture;
import io.sharpsweep.worker.model.ModelCatalog;
import io.sharpsweep.worker.model.SeededInitializer;
import io.sharpsweep.worker.optim.CosineSchedule;
import io.sharpsweep.worker.optim.SgdOptimizer;
import io.sharpsweep.worker.sam.RuleState;
import io.sharpsweep.worker.sam.StepRule;
import io.sharpsweep.worker.sam.StepStats;
import io.sharpsweep.worker.sam.Variants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Trains one segment of a trial: epochs {@code fromEpoch+1 .. toEpoch}, starting from the
 * checkpoint of {@code fromEpoch} when it is above 0. After each epoch it evaluates on the
 * validation split (and on the test split at the trial's last epoch), writes a checkpoint, and
 * hands the report to the listener.
 *
 * <p>Delivery is at-least-once, so a segment may arrive again: epochs whose checkpoint (for the
 * same attempt and configuration) already exists are not retrained — their stored reports are
 * re-sent, and training resumes after the newest one. A segment resumed this way produces the same
 * weights as one trained straight: the learning-rate schedule is planned over the whole trial, the
 * data order of epoch {@code e} depends only on (seed, e), and the optimizer state and counters
 * travel in the checkpoint.
 *
 * <p>A {@link SegmentControl} may stop the segment between batches and between epochs: the trainer
 * then throws {@link SegmentStoppedException}; the epoch in progress writes no checkpoint and no
 * report, so the segment resumes from the last finished epoch exactly as if it had been assigned
 * again.
 */
public final class SegmentTrainer {
  private static final NDIndex ALL = new NDIndex("...");

  private final TrainerSettings settings;
  private final DatasetCache datasets;
  private final Engine engine;

  public SegmentTrainer(TrainerSettings settings, DatasetCache datasets) {
    this.settings = settings;
    this.datasets = datasets;
    this.engine = TorchRuntime.engine();
  }

  public SegmentResult train(SegmentAssignment a, CheckpointStore store, EpochListener listener) {
    return train(a, store, listener, StepObserver.NONE);
  }

  /** {@link #train(SegmentAssignment, CheckpointStore, EpochListener)}, showing every iteration. */
  public SegmentResult train(
      SegmentAssignment a, CheckpointStore store, EpochListener listener, StepObserver observer) {
    return train(a, store, listener, observer, SegmentControl.NONE);
  }

  /**
   * {@link #train(SegmentAssignment, CheckpointStore, EpochListener, StepObserver)} that stops at
   * the next batch or epoch boundary once {@code control} asks for it, with a {@link
   * SegmentStoppedException}.
   */
  public SegmentResult train(
      SegmentAssignment a,
      CheckpointStore store,
      EpochListener listener,
      StepObserver observer,
      SegmentControl control) {
    AssignmentValidator.validate(a);
    TorchRuntime.gradientRecordingOffOnThisThread();
    TrainingConfig config = TrainingConfig.from(a.config());
    // Knob errors before any work.
    StepRule rule = Variants.create(config.variant(), a.config(), a.seed());
    ModelArchitecture architecture = ModelCatalog.forName(a.model());

    List<EpochReport> reports = new ArrayList<>();
    int resumeEpoch = findResumePoint(a, config, store);
    for (int e = a.fromEpoch() + 1; e <= resumeEpoch; e++) {
      checkStop(control, a, e, e - 1, "before re-sending its report");
      Optional<CheckpointState> stored = store.readState(a.studyId(), a.trialId(), e);
      if (stored.isPresent() && stored.get().report() != null) {
        EpochReport report = stored.get().report();
        reports.add(report);
        listener.onEpoch(report, new EpochStats(e, 0, 0, 0.0, true));
      }
    }
    int replayed = reports.size();
    if (resumeEpoch == a.toEpoch()) {
      return new SegmentResult(List.copyOf(reports), 0, replayed);
    }

    checkStop(control, a, resumeEpoch + 1, resumeEpoch, "before loading the dataset");
    TrainingData data = load(a);
    int trainSize = data.train().size();
    int iterationsPerEpoch = (trainSize + config.batchSize() - 1) / config.batchSize();
    long totalIterations = (long) a.maxEpochs() * iterationsPerEpoch;

    try (NDManager trial = engine.newBaseManager()) {
      Block block = architecture.build(data.sampleShape(), data.classes());
      engine.setRandomSeed((int) EpochOrder.mix(a.seed(), 0x5EEDL));
      block.initialize(trial, DataType.FLOAT32, new Shape(1).addAll(data.sampleShape()));
      SeededInitializer.initialise(block, a.seed());
      CostCounters cost = new CostCounters();
      try (SgdOptimizer optimizer =
          new SgdOptimizer(
              config.sgd(),
              new CosineSchedule(config.sgd().learningRate(), totalIterations),
              trial)) {
        int startEpoch = Math.max(a.fromEpoch(), resumeEpoch);
        if (startEpoch > 0) {
          Path dir =
              startEpoch == a.fromEpoch()
                      && a.checkpointUri() != null
                      && !a.checkpointUri().isBlank()
                  ? CheckpointStore.directoryOf(a.checkpointUri())
                  : store.directory(a.studyId(), a.trialId(), startEpoch);
          cost =
              restore(
                  dir,
                  a,
                  config,
                  startEpoch,
                  trainSize,
                  iterationsPerEpoch,
                  block,
                  optimizer,
                  rule,
                  trial);
        }
        DjlTrainingContext context =
            new DjlTrainingContext(engine, block, optimizer, cost, totalIterations, trial);
        int trained = 0;
        for (int epoch = startEpoch + 1; epoch <= a.toEpoch(); epoch++) {
          checkStop(control, a, epoch, epoch - 1, "before its first batch");
          long t0 = System.nanoTime();
          double trainLoss =
              trainEpoch(
                  context,
                  rule,
                  data.train(),
                  config.batchSize(),
                  a.seed(),
                  epoch,
                  iterationsPerEpoch,
                  observer,
                  control,
                  a);
          double seconds = (System.nanoTime() - t0) / 1e9;
          cost.addWallSeconds(seconds);
          Evaluation validation = evaluate(block, data.validation(), trial);
          Double testAccuracy =
              epoch == a.maxEpochs() ? evaluate(block, data.test(), trial).accuracy() : null;
          Metrics metrics =
              new Metrics(validation.accuracy(), validation.loss(), trainLoss, testAccuracy);
          EpochReport report =
              new EpochReport(
                  SchemaVersion.CURRENT,
                  a.studyId(),
                  a.trialId(),
                  a.attempt(),
                  epoch,
                  metrics,
                  cost.toCost(trainSize),
                  settings.workerId(),
                  store.uri(a.studyId(), a.trialId(), epoch).toString(),
                  epoch == a.maxEpochs());
          CheckpointState state =
              new CheckpointState(
                  CheckpointState.FORMAT_VERSION,
                  a.studyId(),
                  a.trialId(),
                  a.attempt(),
                  epoch,
                  a.maxEpochs(),
                  a.model(),
                  a.seed(),
                  config,
                  a.config(),
                  trainSize,
                  iterationsPerEpoch,
                  optimizer.stepCount(),
                  cost.totals(),
                  null,
                  null,
                  report);
          checkStop(control, a, epoch, epoch - 1, "before writing its checkpoint");
          try (NDManager io = trial.newSubManager()) {
            RuleState ruleState = new RuleState(io);
            rule.saveState(ruleState);
            state = state.withRuleState(ruleState.numbers(), ruleState.integers());
            store.write(
                state, parameterList(block, io), optimizer.saveState(io), ruleState.tensors());
          }
          trained++;
          reports.add(report);
          listener.onEpoch(
              report, new EpochStats(epoch, trainSize, iterationsPerEpoch, seconds, false));
        }
        if (settings.pruneIntermediateCheckpoints()) {
          for (int epoch = startEpoch + 1; epoch < a.toEpoch(); epoch++) {
            store.pruneTensors(a.studyId(), a.trialId(), epoch);
          }
        }
        return new SegmentResult(List.copyOf(reports), trained, replayed);
      }
    }
  }

  /**
   * The training data, decoded once per spec. Running out of heap while decoding is a failure of
   * this trial's dataset (it names the dataset and its size), not of the worker: the partly built
   * arrays are unreachable by then and the caller can free memory and go on.
   */
  private TrainingData load(SegmentAssignment a) {
    try {
      return datasets.get(a.dataset());
    } catch (OutOfMemoryError e) {
      Integer n = a.dataset().trainLimit();
      throw new DatasetException(
          "out of memory while loading dataset "
              + a.dataset().name()
              + (n == null ? "" : " (" + n + " examples)")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static void checkStop(
      SegmentControl control, SegmentAssignment a, int epoch, int lastCompleted, String where) {
    if (control.stopRequested()) {
      throw new SegmentStoppedException(
          "segment " + a.segmentKey() + " stopped at epoch " + epoch + " " + where, lastCompleted);
    }
  }

  /**
   * The newest epoch in {@code (fromEpoch, toEpoch]} already finished by this attempt with this
   * configuration: {@code toEpoch} if the whole segment was done (only reports to re-send), an
   * epoch whose tensors are still there to resume from, or {@code fromEpoch} if nothing was done.
   */
  private static int findResumePoint(
      SegmentAssignment a, TrainingConfig config, CheckpointStore store) {
    for (int e = a.toEpoch(); e > a.fromEpoch(); e--) {
      Optional<CheckpointState> state = store.readState(a.studyId(), a.trialId(), e);
      if (state.isEmpty()
          || state.get().attempt() != a.attempt()
          || mismatch(state.get(), a, config) != null) {
        continue;
      }
      if (e == a.toEpoch()
          || CheckpointStore.hasTensors(store.directory(a.studyId(), a.trialId(), e))) {
        return e;
      }
    }
    return a.fromEpoch();
  }

  /** Why a checkpoint cannot continue this assignment, or null if it can. */
  private static String mismatch(CheckpointState s, SegmentAssignment a, TrainingConfig config) {
    if (!Objects.equals(s.studyId(), a.studyId()) || !Objects.equals(s.trialId(), a.trialId())) {
      return "it belongs to trial " + s.studyId() + "/" + s.trialId();
    }
    if (!Objects.equals(s.model(), a.model())) {
      return "it was trained with model '"
          + s.model()
          + "', the assignment asks for '"
          + a.model()
          + "'";
    }
    if (s.seed() != a.seed()) {
      return "it was trained with seed " + s.seed() + ", the assignment has " + a.seed();
    }
    if (s.maxEpochs() != a.maxEpochs()) {
      return "it was planned for " + s.maxEpochs() + " epochs, the assignment for " + a.maxEpochs();
    }
    if (!Objects.equals(s.config(), config)
        || !canonical(s.trialConfig()).equals(canonical(a.config()))) {
      return "it was trained with configuration "
          + canonical(s.trialConfig())
          + ", the assignment asks for "
          + canonical(a.config());
    }
    return null;
  }

  /** The configuration as sorted JSON, so maps decoded from different records compare by value. */
  private static String canonical(Map<String, Object> config) {
    return Json.encodeToString(new TreeMap<>(config == null ? Map.of() : config));
  }

  private static CostCounters restore(
      Path dir,
      SegmentAssignment a,
      TrainingConfig config,
      int epoch,
      int trainSize,
      int iterationsPerEpoch,
      Block block,
      SgdOptimizer optimizer,
      StepRule rule,
      NDManager trial) {
    CheckpointState state = CheckpointStore.readState(dir);
    String why =
        state.formatVersion() != CheckpointState.FORMAT_VERSION
            ? "it has checkpoint format "
                + state.formatVersion()
                + ", this worker reads "
                + CheckpointState.FORMAT_VERSION
            : mismatch(state, a, config);
    if (why == null && state.epoch() != epoch) {
      why =
          "it is the checkpoint of epoch "
              + state.epoch()
              + ", the segment starts after epoch "
              + epoch;
    }
    if (why == null
        && (state.trainSize() != trainSize || state.iterationsPerEpoch() != iterationsPerEpoch)) {
      why =
          "it was trained on "
              + state.trainSize()
              + " examples ("
              + state.iterationsPerEpoch()
              + " iterations/epoch), the dataset now has "
              + trainSize
              + " ("
              + iterationsPerEpoch
              + ")";
    }
    if (why == null && state.optimizerSteps() != (long) epoch * iterationsPerEpoch) {
      why =
          "its optimizer made "
              + state.optimizerSteps()
              + " steps, expected "
              + (long) epoch * iterationsPerEpoch;
    }
    if (why != null) {
      throw new CheckpointException(
          "checkpoint " + dir + " cannot continue trial " + a.trialId() + ": " + why);
    }
    try (NDManager io = trial.newSubManager()) {
      NDList params = CheckpointStore.readParams(dir, io);
      Map<String, NDArray> byName = new HashMap<>();
      for (NDArray p : params) {
        byName.put(p.getName(), p);
      }
      for (Pair<String, Parameter> p : block.getParameters()) {
        NDArray stored = byName.get(p.getKey());
        NDArray live = p.getValue().getArray();
        if (stored == null || !stored.getShape().equals(live.getShape())) {
          throw new CheckpointException(
              "checkpoint "
                  + dir
                  + " has no parameter "
                  + p.getKey()
                  + " of shape "
                  + live.getShape()
                  + (stored == null ? "" : " (found " + stored.getShape() + ")"));
        }
        live.set(ALL, stored);
      }
      optimizer.loadState(CheckpointStore.readOptimizerState(dir, io), state.optimizerSteps());
      rule.loadState(
          RuleState.of(
              state.ruleState(), state.ruleIntegers(), CheckpointStore.readRuleTensors(dir, io)),
          trial);
    }
    return CostCounters.from(state.cost());
  }

  /**
   * One pass over the training split in the order of (seed, epoch); returns the example-weighted
   * mean loss.
   */
  private static double trainEpoch(
      DjlTrainingContext context,
      StepRule rule,
      Split train,
      int batchSize,
      long seed,
      int epoch,
      int iterationsPerEpoch,
      StepObserver observer,
      SegmentControl control,
      SegmentAssignment a) {
    long[] order = EpochOrder.permutation(train.size(), seed, epoch);
    double lossSum = 0;
    NDManager parent = train.features().getManager();
    int iteration = 0;
    for (int start = 0; start < order.length; start += batchSize) {
      if (iteration > 0 && control.stopRequested()) {
        throw new SegmentStoppedException(
            "segment "
                + a.segmentKey()
                + " stopped in epoch "
                + epoch
                + " after "
                + iteration
                + " of "
                + iterationsPerEpoch
                + " iterations",
            epoch - 1);
      }
      long t0 = System.nanoTime();
      int end = Math.min(order.length, start + batchSize);
      StepStats stats;
      try (NDManager step = parent.newSubManager()) {
        Batch batch = train.gather(step, Arrays.copyOfRange(order, start, end));
        stats = context.runStep(rule, batch, step);
      }
      lossSum += stats.loss() * (end - start);
      observer.onStep(epoch, iteration++, iterationsPerEpoch, stats, System.nanoTime() - t0);
    }
    return lossSum / order.length;
  }

  /** Mean loss and accuracy of the block in inference mode (no gradient recording). */
  record Evaluation(double loss, double accuracy) {}

  Evaluation evaluate(Block block, Split split, NDManager parent) {
    double lossSum = 0;
    long correct = 0;
    for (int start = 0; start < split.size(); start += settings.evalBatchSize()) {
      int end = Math.min(split.size(), start + settings.evalBatchSize());
      try (NDManager step = parent.newSubManager()) {
        List<NDArray> params = new ArrayList<>();
        block.getParameters().forEach(p -> params.add(p.getValue().getArray()));
        step.tempAttachAll(params.toArray(new NDArray[0]));
        Batch batch = split.slice(step, start, end);
        NDArray logits =
            block
                .forward(new ParameterStore(step, false), new NDList(batch.x()), false)
                .singletonOrThrow();
        lossSum += DjlTrainingContext.perExampleCrossEntropy(logits, batch.y()).sum().getFloat();
        correct += logits.argMax(1).eq(batch.y()).sum().getLong();
      }
    }
    return new Evaluation(lossSum / split.size(), (double) correct / split.size());
  }

  private static NDList parameterList(Block block, NDManager manager) {
    NDList out = new NDList();
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray copy = p.getValue().getArray().duplicate();
      copy.attach(manager);
      copy.setName(p.getKey());
      out.add(copy);
    }
    return out;
  }
}
