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

    int resumeEpoch = findResumePoint(a, config, store);
    List<EpochReport> reports = resendFinished(a, store, listener, control, resumeEpoch);
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
      Block block = initialisedBlock(architecture, data, a.seed(), trial);
      try (SgdOptimizer optimizer =
          new SgdOptimizer(
              config.sgd(),
              new CosineSchedule(config.sgd().learningRate(), totalIterations),
              trial)) {
        TrialRun run =
            new TrialRun(a, config, trainSize, iterationsPerEpoch, block, optimizer, rule, trial);
        int startEpoch = Math.max(a.fromEpoch(), resumeEpoch);
        CostCounters cost =
            startEpoch > 0
                ? restore(run, checkpointToResume(a, store, startEpoch), startEpoch)
                : new CostCounters();
        DjlTrainingContext context =
            new DjlTrainingContext(engine, block, optimizer, cost, totalIterations, trial);
        int trained = 0;
        for (int epoch = startEpoch + 1; epoch <= a.toEpoch(); epoch++) {
          checkStop(control, a, epoch, epoch - 1, "before its first batch");
          long t0 = System.nanoTime();
          double trainLoss = trainEpoch(run, context, data.train(), epoch, observer, control);
          double seconds = (System.nanoTime() - t0) / 1e9;
          cost.addWallSeconds(seconds);
          EpochReport report = report(run, data, epoch, trainLoss, cost, store);
          checkStop(control, a, epoch, epoch - 1, "before writing its checkpoint");
          writeCheckpoint(run, store, epoch, cost, report);
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
   * What one segment trains with, once the data is loaded and the model built: the values that
   * travel together through restoring, training, reporting and checkpointing.
   */
  private record TrialRun(
      SegmentAssignment assignment,
      TrainingConfig config,
      int trainSize,
      int iterationsPerEpoch,
      Block block,
      SgdOptimizer optimizer,
      StepRule rule,
      NDManager manager) {}

  /**
   * Re-sends the stored reports of the epochs this attempt already finished, up to {@code
   * resumeEpoch}, and returns them.
   */
  private static List<EpochReport> resendFinished(
      SegmentAssignment a,
      CheckpointStore store,
      EpochListener listener,
      SegmentControl control,
      int resumeEpoch) {
    List<EpochReport> reports = new ArrayList<>();
    for (int e = a.fromEpoch() + 1; e <= resumeEpoch; e++) {
      checkStop(control, a, e, e - 1, "before re-sending its report");
      Optional<CheckpointState> stored = store.readState(a.studyId(), a.trialId(), e);
      if (stored.isPresent() && stored.get().report() != null) {
        EpochReport report = stored.get().report();
        reports.add(report);
        listener.onEpoch(report, new EpochStats(e, 0, 0, 0.0, true));
      }
    }
    return reports;
  }

  /** The model with its seeded initial weights. */
  private Block initialisedBlock(
      ModelArchitecture architecture, TrainingData data, long seed, NDManager trial) {
    Block block = architecture.build(data.sampleShape(), data.classes());
    engine.setRandomSeed((int) EpochOrder.mix(seed, 0x5EEDL));
    block.initialize(trial, DataType.FLOAT32, new Shape(1).addAll(data.sampleShape()));
    SeededInitializer.initialise(block, seed);
    return block;
  }

  /**
   * The checkpoint a segment starting after {@code startEpoch} continues from: the assignment's own
   * when it starts at its {@code fromEpoch}, else this attempt's newest in the store.
   */
  private static Path checkpointToResume(
      SegmentAssignment a, CheckpointStore store, int startEpoch) {
    boolean fromAssignment =
        startEpoch == a.fromEpoch() && a.checkpointUri() != null && !a.checkpointUri().isBlank();
    return fromAssignment
        ? CheckpointStore.directoryOf(a.checkpointUri())
        : store.directory(a.studyId(), a.trialId(), startEpoch);
  }

  /** The epoch's report: validation metrics, test accuracy at the trial's last epoch, the cost. */
  private EpochReport report(
      TrialRun run,
      TrainingData data,
      int epoch,
      double trainLoss,
      CostCounters cost,
      CheckpointStore store) {
    SegmentAssignment a = run.assignment();
    Evaluation validation = evaluate(run.block(), data.validation(), run.manager());
    Double testAccuracy =
        epoch == a.maxEpochs()
            ? evaluate(run.block(), data.test(), run.manager()).accuracy()
            : null;
    return new EpochReport(
        SchemaVersion.CURRENT,
        a.studyId(),
        a.trialId(),
        a.attempt(),
        epoch,
        new Metrics(validation.accuracy(), validation.loss(), trainLoss, testAccuracy),
        cost.toCost(run.trainSize()),
        settings.workerId(),
        store.uri(a.studyId(), a.trialId(), epoch).toString(),
        epoch == a.maxEpochs());
  }

  /** The epoch's checkpoint: weights, optimizer and rule state, counters and its report. */
  private static void writeCheckpoint(
      TrialRun run, CheckpointStore store, int epoch, CostCounters cost, EpochReport report) {
    SegmentAssignment a = run.assignment();
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
            run.config(),
            a.config(),
            run.trainSize(),
            run.iterationsPerEpoch(),
            run.optimizer().stepCount(),
            cost.totals(),
            null,
            null,
            report);
    try (NDManager io = run.manager().newSubManager()) {
      RuleState ruleState = new RuleState(io);
      run.rule().saveState(ruleState);
      state = state.withRuleState(ruleState.numbers(), ruleState.integers());
      store.write(
          state,
          parameterList(run.block(), io),
          run.optimizer().saveState(io),
          ruleState.tensors());
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
          || whyNotContinuing(state.get(), a, config).isPresent()) {
        continue;
      }
      if (e == a.toEpoch()
          || CheckpointStore.hasTensors(store.directory(a.studyId(), a.trialId(), e))) {
        return e;
      }
    }
    return a.fromEpoch();
  }

  /** Why a checkpoint cannot continue this assignment, if it cannot. */
  private static Optional<String> whyNotContinuing(
      CheckpointState s, SegmentAssignment a, TrainingConfig config) {
    String why = null;
    if (!Objects.equals(s.studyId(), a.studyId()) || !Objects.equals(s.trialId(), a.trialId())) {
      why = "it belongs to trial " + s.studyId() + "/" + s.trialId();
    } else if (!Objects.equals(s.model(), a.model())) {
      why =
          "it was trained with model '"
              + s.model()
              + "', the assignment asks for '"
              + a.model()
              + "'";
    } else if (s.seed() != a.seed()) {
      why = "it was trained with seed " + s.seed() + ", the assignment has " + a.seed();
    } else if (s.maxEpochs() != a.maxEpochs()) {
      why = "it was planned for " + s.maxEpochs() + " epochs, the assignment for " + a.maxEpochs();
    } else if (!Objects.equals(s.config(), config)
        || !canonical(s.trialConfig()).equals(canonical(a.config()))) {
      why =
          "it was trained with configuration "
              + canonical(s.trialConfig())
              + ", the assignment asks for "
              + canonical(a.config());
    }
    return Optional.ofNullable(why);
  }

  /** The configuration as sorted JSON, so maps decoded from different records compare by value. */
  private static String canonical(Map<String, Object> config) {
    return Json.encodeToString(new TreeMap<>(config == null ? Map.of() : config));
  }

  /**
   * Loads the checkpoint in {@code dir} of the epoch {@code epoch} into the run's model, optimizer
   * and rule, after checking that it continues this assignment on this data; returns its counters.
   */
  private static CostCounters restore(TrialRun run, Path dir, int epoch) {
    SegmentAssignment a = run.assignment();
    CheckpointState state = CheckpointStore.readState(dir);
    Optional<String> why = whyNotRestorable(state, run, epoch);
    if (why.isPresent()) {
      throw new CheckpointException(
          "checkpoint " + dir + " cannot continue trial " + a.trialId() + ": " + why.get());
    }
    Block block = run.block();
    NDManager trial = run.manager();
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
      run.optimizer()
          .loadState(CheckpointStore.readOptimizerState(dir, io), state.optimizerSteps());
      run.rule()
          .loadState(
              RuleState.of(
                  state.ruleState(),
                  state.ruleIntegers(),
                  CheckpointStore.readRuleTensors(dir, io)),
              trial);
    }
    return CostCounters.from(state.cost());
  }

  /** Why a checkpoint of epoch {@code epoch} cannot be restored into the run, if it cannot. */
  private static Optional<String> whyNotRestorable(CheckpointState state, TrialRun run, int epoch) {
    if (state.formatVersion() != CheckpointState.FORMAT_VERSION) {
      return Optional.of(
          "it has checkpoint format "
              + state.formatVersion()
              + ", this worker reads "
              + CheckpointState.FORMAT_VERSION);
    }
    Optional<String> mismatch = whyNotContinuing(state, run.assignment(), run.config());
    if (mismatch.isPresent()) {
      return mismatch;
    }
    if (state.epoch() != epoch) {
      return Optional.of(
          "it is the checkpoint of epoch "
              + state.epoch()
              + ", the segment starts after epoch "
              + epoch);
    }
    if (state.trainSize() != run.trainSize()
        || state.iterationsPerEpoch() != run.iterationsPerEpoch()) {
      return Optional.of(
          "it was trained on "
              + state.trainSize()
              + " examples ("
              + state.iterationsPerEpoch()
              + " iterations/epoch), the dataset now has "
              + run.trainSize()
              + " ("
              + run.iterationsPerEpoch()
              + ")");
    }
    long expectedSteps = (long) epoch * run.iterationsPerEpoch();
    if (state.optimizerSteps() != expectedSteps) {
      return Optional.of(
          "its optimizer made " + state.optimizerSteps() + " steps, expected " + expectedSteps);
    }
    return Optional.empty();
  }

  /**
   * One pass over the training split in the order of (seed, epoch); returns the example-weighted
   * mean loss.
   */
  private static double trainEpoch(
      TrialRun run,
      DjlTrainingContext context,
      Split train,
      int epoch,
      StepObserver observer,
      SegmentControl control) {
    SegmentAssignment a = run.assignment();
    int batchSize = run.config().batchSize();
    int iterationsPerEpoch = run.iterationsPerEpoch();
    StepRule rule = run.rule();
    long[] order = EpochOrder.permutation(train.size(), a.seed(), epoch);
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
