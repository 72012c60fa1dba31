package io.sharpsweep.worker.engine;

import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.data.DatasetCache;
import io.sharpsweep.worker.data.DatasetLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One configuration trained in-process from epoch 0 to {@code epochs} by the same trainer the
 * service uses (checkpoints go to a temporary directory, deleted afterwards): what {@code
 * sharpsweep train} runs.
 */
public final class TrainingRun {
  /** Steps left out of the step-time median (JIT, allocator and thread-pool warm-up). */
  static final int WARMUP_STEPS = 5;

  /**
   * What to train.
   *
   * @param config the trial configuration ({@code variant}, {@code lr}, {@code rho}, …)
   */
  public record Request(
      DatasetSpec dataset, String model, Map<String, Object> config, int epochs, long seed) {}

  /**
   * The metrics of the last epoch and the cost of the run.
   *
   * @param testAccuracy on the test split after the last epoch
   * @param stepMillisMedian median wall time of one training iteration (after {@value
   *     #WARMUP_STEPS} warm-up steps)
   * @param imagesPerSecond training examples per second of training-iteration time
   */
  public record Summary(
      String variant,
      String model,
      String dataset,
      int epochs,
      int trainSize,
      double valAccuracy,
      double valLoss,
      double testAccuracy,
      double trainLoss,
      double samStepFraction,
      double sgdEpochEquivalents,
      double stepMillisMedian,
      double imagesPerSecond,
      long forwardPasses,
      long backwardPasses,
      long examplesBackward,
      double wallSeconds) {}

  private TrainingRun() {}

  /**
   * Trains and summarises.
   *
   * @param observer sees every iteration (a progress bar)
   * @param epochs sees every epoch's report
   */
  public static Summary run(
      Request request, DatasetLoader loader, StepObserver observer, EpochListener epochs) {
    if (request.epochs() < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + request.epochs());
    }
    Path dir = createCheckpointDirectory();
    Recording recording = new Recording();
    try (var root = TorchRuntime.engine().newBaseManager();
        DatasetCache cache = new DatasetCache(loader, root)) {
      SegmentTrainer trainer =
          new SegmentTrainer(new TrainerSettings("sharpsweep-train", 1000, true), cache);
      trainer.train(
          assignment(request),
          new CheckpointStore(dir),
          (report, stats) -> {
            recording.reports.add(report);
            recording.trainSize = (int) stats.examplesTrained();
            epochs.onEpoch(report, stats);
          },
          (epoch, iteration, perEpoch, stats, nanos) -> {
            recording.stepNanos.add(nanos);
            observer.onStep(epoch, iteration, perEpoch, stats, nanos);
          });
    } finally {
      deleteTree(dir);
    }
    return summary(request, recording);
  }

  /** What the trainer's listeners saw: every step's wall time and every epoch's report. */
  private static final class Recording {
    final List<Long> stepNanos = new ArrayList<>();
    final List<EpochReport> reports = new ArrayList<>();
    int trainSize;
  }

  private static Path createCheckpointDirectory() {
    try {
      return Files.createTempDirectory("sharpsweep-train");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a checkpoint directory", e);
    }
  }

  /** The whole run as one segment, epoch 0 to {@code epochs}. */
  private static SegmentAssignment assignment(Request request) {
    return new SegmentAssignment(
        SchemaVersion.CURRENT,
        "local",
        "train",
        0,
        request.config(),
        0,
        request.epochs(),
        request.epochs(),
        null,
        request.dataset(),
        request.model(),
        request.seed());
  }

  private static Summary summary(Request request, Recording recording) {
    EpochReport last = recording.reports.get(recording.reports.size() - 1);
    int trainSize = recording.trainSize;
    double median = medianStepMillis(recording.stepNanos);
    double seconds = last.cost().wallSeconds();
    return new Summary(
        String.valueOf(request.config().getOrDefault("variant", TrainingConfig.DEFAULT_VARIANT)),
        request.model(),
        request.dataset().name(),
        request.epochs(),
        trainSize,
        last.metrics().valAccuracy(),
        last.metrics().valLoss(),
        last.metrics().testAccuracy() == null ? Double.NaN : last.metrics().testAccuracy(),
        last.metrics().trainLoss(),
        last.cost().samStepFraction(),
        last.cost().sgdEpochEquivalents(),
        median,
        seconds > 0 ? (double) trainSize * request.epochs() / seconds : 0,
        last.cost().forwardPasses(),
        last.cost().backwardPasses(),
        last.cost().examplesBackward(),
        seconds);
  }

  /** The median step time in milliseconds, after {@link #WARMUP_STEPS} if there are enough. */
  private static double medianStepMillis(List<Long> stepNanos) {
    List<Long> steady =
        stepNanos.size() > 2 * WARMUP_STEPS
            ? new ArrayList<>(stepNanos.subList(WARMUP_STEPS, stepNanos.size()))
            : new ArrayList<>(stepNanos);
    steady.sort(Comparator.naturalOrder());
    return steady.isEmpty()
        ? 0
        : (steady.get((steady.size() - 1) / 2) + steady.get(steady.size() / 2)) / 2e6;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the run's result is not affected.
    }
  }
}
