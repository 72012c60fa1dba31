package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.data.DatasetException;
import io.sharpsweep.worker.data.DatasetLoader;
import io.sharpsweep.worker.data.FashionMnist;
import io.sharpsweep.worker.engine.CheckpointException;
import io.sharpsweep.worker.engine.InvalidAssignmentException;
import io.sharpsweep.worker.engine.StepObserver;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.engine.TrainingRun;
import io.sharpsweep.worker.model.ModelUnavailableException;
import io.sharpsweep.worker.sam.TrainingDivergedException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep train}: one configuration trained in this process with the worker's engine,
 * then its metrics.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train one configuration in-process (the trainer-worker's engine) and print its metrics and costs.")
public class TrainCommand implements Callable<Integer> {
  @Option(
      names = "--dataset",
      defaultValue = "fashion-mnist",
      description = "fashion-mnist, cifar10, cifar100 or synthetic (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Directory with the dataset's files (default: /usr/share/datasets/<dataset>).")
  Path data;

  @Option(
      names = "--model",
      defaultValue = "mlp",
      description =
          "mlp, cnn-small, resnet18, wrn-16-4, wrn-16-8, wrn-28-10 (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--variant",
      defaultValue = "sgd",
      description =
          "sgd, sam, asam, esam, ae-sam, looksam, ae-looksam, msam, rst, sam-k (default: ${DEFAULT-VALUE}).")
  String variant;

  @Mixin TrainingKnobs knobs;

  @Option(
      names = "--batch-size",
      defaultValue = "128",
      description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--epochs",
      defaultValue = "2",
      description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description =
          "Trial seed: initial weights, data order, random decisions (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--label-noise",
      description = "Share of training labels flipped to another class, seeded (default 0).")
  Double labelNoise;

  @Option(
      names = "--validation-fraction",
      defaultValue = "0.1",
      description =
          "Share of the training set held out for validation (default: ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(
      names = "--train-limit",
      paramLabel = "N",
      description = "Use only the first N training examples.")
  Integer trainLimit;

  @Option(
      names = "--test-limit",
      paramLabel = "N",
      description = "Use only the first N test examples.")
  Integer testLimit;

  @Option(
      names = "--threads",
      description = "PyTorch intra-op threads (default: available processors).")
  Integer threads;

  @Option(names = "--json", description = "Print the metrics as JSON.")
  boolean json;

  /**
   * Before the engine loads: SLF4J picks slf4j-simple without listing the other provider on the
   * class path, and DJL's "failed to detect GPU" warning on CPU-only machines (harmless) is not
   * shown.
   */
  static void quietEngineLogs() {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }
    if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "error");
    }
  }

  @Override
  public Integer call() {
    quietEngineLogs();
    if (epochs < 1) {
      throw new UserException("--epochs must be >= 1, got " + epochs);
    }
    TorchRuntime.initialise(threads != null ? threads : Runtime.getRuntime().availableProcessors());
    DatasetSpec spec =
        new DatasetSpec(
            dataset,
            data == null ? null : data.toString(),
            validationFraction,
            labelNoise,
            trainLimit,
            testLimit);
    Progress progress = new Progress(System.err, System.console() != null && !json, epochs);
    TrainingRun.Summary s;
    try {
      s =
          TrainingRun.run(
              new TrainingRun.Request(spec, model, knobs.config(variant, batchSize), epochs, seed),
              new DatasetLoader(FashionMnist.DEFAULT_DIR),
              progress,
              (report, stats) -> progress.epoch(report.epoch(), report.metrics().valAccuracy()));
    } catch (InvalidConfigException
        | DatasetException
        | ModelUnavailableException
        | InvalidAssignmentException
        | CheckpointException
        | TrainingDivergedException e) {
      throw new UserException(e.getMessage());
    } finally {
      progress.done();
    }
    print(System.out, s, json);
    return 0;
  }

  static void print(PrintStream out, TrainingRun.Summary s, boolean json) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("variant", s.variant());
    m.put("model", s.model());
    m.put("dataset", s.dataset());
    m.put("epochs", s.epochs());
    m.put("trainSize", s.trainSize());
    m.put("valAccuracy", s.valAccuracy());
    m.put("valLoss", s.valLoss());
    m.put("testAccuracy", s.testAccuracy());
    m.put("trainLoss", s.trainLoss());
    m.put("samStepFraction", s.samStepFraction());
    m.put("sgdEpochEquivalents", s.sgdEpochEquivalents());
    m.put("stepMillisMedian", s.stepMillisMedian());
    m.put("imagesPerSecond", s.imagesPerSecond());
    m.put("forwardPasses", s.forwardPasses());
    m.put("backwardPasses", s.backwardPasses());
    m.put("examplesBackward", s.examplesBackward());
    m.put("wallSeconds", s.wallSeconds());
    if (json) {
      out.println(Json.encodeToString(m));
      return;
    }
    out.printf(
        Locale.ROOT,
        "%s on %s (%s), %d epochs, %d training examples%n",
        s.variant(),
        s.dataset(),
        s.model(),
        s.epochs(),
        s.trainSize());
    out.printf(
        Locale.ROOT, "  validation accuracy  %.4f   (loss %.4f)%n", s.valAccuracy(), s.valLoss());
    out.printf(Locale.ROOT, "  test accuracy        %.4f%n", s.testAccuracy());
    out.printf(
        Locale.ROOT,
        "  training loss        %.4f   (last epoch, at the unperturbed weights)%n",
        s.trainLoss());
    out.printf(Locale.ROOT, "  SAM-step fraction    %.3f%n", s.samStepFraction());
    out.printf(
        Locale.ROOT,
        "  cost                 %.3f SGD-epoch equivalents, %d forward / %d backward passes%n",
        s.sgdEpochEquivalents(),
        s.forwardPasses(),
        s.backwardPasses());
    out.printf(
        Locale.ROOT,
        "  speed                %.2f ms/step (median), %.0f images/s, %.1f s training%n",
        s.stepMillisMedian(),
        s.imagesPerSecond(),
        s.wallSeconds());
  }

  /**
   * A one-line progress bar on stderr, redrawn a few times a second; silent when not on a terminal.
   */
  static final class Progress implements StepObserver {
    private final PrintStream err;
    private final boolean enabled;
    private final int epochs;
    private long lastDraw;
    private double lastLoss = Double.NaN;
    private String lastAccuracy = "";

    Progress(PrintStream err, boolean enabled, int epochs) {
      this.err = err;
      this.enabled = enabled;
      this.epochs = epochs;
    }

    @Override
    public void onStep(
        int epoch,
        int iteration,
        int perEpoch,
        io.sharpsweep.worker.sam.StepStats stats,
        long nanos) {
      lastLoss = stats.loss();
      long now = System.nanoTime();
      if (!enabled || (now - lastDraw < 200_000_000L && iteration + 1 < perEpoch)) {
        return;
      }
      lastDraw = now;
      double done = ((epoch - 1) + (iteration + 1) / (double) perEpoch) / epochs;
      int width = 30;
      int filled = (int) Math.round(done * width);
      err.printf(
          Locale.ROOT,
          "\r[%s%s] epoch %d/%d  step %d/%d  loss %.4f  %.1f ms/step%s   ",
          "#".repeat(filled),
          " ".repeat(width - filled),
          epoch,
          epochs,
          iteration + 1,
          perEpoch,
          lastLoss,
          nanos / 1e6,
          lastAccuracy);
      err.flush();
    }

    void epoch(int epoch, double valAccuracy) {
      lastAccuracy = String.format(Locale.ROOT, "  val %.4f", valAccuracy);
    }

    void done() {
      if (enabled && lastDraw != 0) {
        err.println();
      }
    }
  }
}
