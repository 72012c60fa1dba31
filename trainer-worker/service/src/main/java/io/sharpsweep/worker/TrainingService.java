package io.sharpsweep.worker;

import ai.djl.ndarray.NDManager;
import io.quarkus.runtime.Startup;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.data.DatasetCache;
import io.sharpsweep.worker.data.DatasetException;
import io.sharpsweep.worker.data.DatasetLoader;
import io.sharpsweep.worker.engine.CheckpointException;
import io.sharpsweep.worker.engine.CheckpointStore;
import io.sharpsweep.worker.engine.EpochListener;
import io.sharpsweep.worker.engine.InvalidAssignmentException;
import io.sharpsweep.worker.engine.SegmentControl;
import io.sharpsweep.worker.engine.SegmentResult;
import io.sharpsweep.worker.engine.SegmentStoppedException;
import io.sharpsweep.worker.engine.SegmentTrainer;
import io.sharpsweep.worker.engine.StepObserver;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.engine.TrainerSettings;
import io.sharpsweep.worker.model.ModelUnavailableException;
import io.sharpsweep.worker.sam.TrainingDivergedException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs one segment at a time with the engine and classifies how it ended ({@link SegmentOutcome}).
 * Started eagerly so the PyTorch engine loads with the configured threads before the first lease
 * arrives. The {@link LeaseLoop} decides what an outcome means for the lease.
 */
@Startup
@ApplicationScoped
public class TrainingService {
  private static final Logger LOG = Logger.getLogger(TrainingService.class);

  private final WorkerMetrics metrics;
  private final String workerId;
  private final CheckpointStore checkpoints;
  private final NDManager root;
  private final DatasetCache datasets;
  private final SegmentTrainer trainer;
  private final AtomicReference<String> current = new AtomicReference<>();

  @Inject
  public TrainingService(WorkerConfig config, WorkerMetrics metrics) {
    this.metrics = metrics;
    this.workerId =
        config.id().filter(s -> !s.isBlank()).orElseGet(TrainingService::defaultWorkerId);
    int threads = config.threads().orElse(Runtime.getRuntime().availableProcessors());
    TorchRuntime.initialise(threads);
    LOG.infof(
        "worker %s: PyTorch %s, %d intra-op / %d inter-op threads, checkpoints in %s",
        workerId,
        TorchRuntime.engine().getVersion(),
        TorchRuntime.intraOpThreads(),
        TorchRuntime.interOpThreads(),
        config.checkpointDir());
    this.checkpoints = new CheckpointStore(Path.of(config.checkpointDir()));
    this.root = TorchRuntime.engine().newBaseManager();
    this.datasets =
        new DatasetCache(
            new DatasetLoader(
                Path.of(config.fashionMnistDir()),
                Path.of(config.cifar10Dir()),
                Path.of(config.cifar100Dir())),
            root);
    this.trainer =
        new SegmentTrainer(
            new TrainerSettings(
                workerId, config.evalBatchSize(), config.pruneIntermediateCheckpoints()),
            datasets);
  }

  static String defaultWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  public String workerId() {
    return workerId;
  }

  /** The segment being trained, e.g. {@code trial-3#0#0-3}, or null. */
  public String currentSegment() {
    return current.get();
  }

  /**
   * Trains (or replays) the segment, handing every epoch's report to {@code listener} once its
   * checkpoint is written, and stops at the next batch once {@code control} asks. Never throws for
   * the segment's sake: a failure the trial cannot recover from — a bad knob, an unknown model or
   * variant, a missing or corrupt file, an unusable checkpoint, a diverging loss, any other
   * exception, and also running out of memory or another non-fatal {@link Error} such as a native
   * allocation failure — is a {@link SegmentOutcome.Failed} with a one-line reason. After an {@code
   * Error} the dataset cache is dropped and a collection requested, so the next segment starts from
   * a clean heap.
   */
  public SegmentOutcome run(SegmentAssignment a, SegmentControl control, EpochListener listener) {
    current.set(a.segmentKey());
    try {
      SegmentResult result =
          trainer.train(
              a,
              checkpoints,
              (report, stats) -> {
                listener.onEpoch(report, stats);
                metrics.epoch(stats);
              },
              StepObserver.NONE,
              control);
      metrics.segment(result.epochsTrained() > 0 ? "trained" : "replayed");
      LOG.infof(
          "segment %s done: %d epochs trained, %d re-sent; val accuracy %.4f",
          a.segmentKey(),
          result.epochsTrained(),
          result.epochsReplayed(),
          result.last().metrics().valAccuracy());
      return new SegmentOutcome.Completed(result);
    } catch (SegmentStoppedException e) {
      LOG.infof("%s", e.getMessage());
      metrics.segment("stopped");
      return new SegmentOutcome.Stopped(e.getMessage());
    } catch (ReportPublishException e) {
      // The broker, not the trial: the segment is handed back rather than charged.
      LOG.warnf("segment %s: %s", a.segmentKey(), e.getMessage());
      metrics.segment("stopped");
      return new SegmentOutcome.Stopped(e.getMessage());
    } catch (InvalidAssignmentException
        | InvalidConfigException
        | ModelUnavailableException
        | CheckpointException
        | TrainingDivergedException e) {
      return failed(a, e.getMessage());
    } catch (DatasetException e) {
      if (e.getCause() instanceof OutOfMemoryError) {
        freeMemory();
      }
      return failed(a, e.getMessage());
    } catch (RuntimeException e) {
      // Not a known trial failure: still a failed segment for the study, but log the stack for us.
      LOG.errorf(e, "segment %s failed unexpectedly", a.segmentKey());
      return failed(a, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (OutOfMemoryError e) {
      freeMemory();
      return failed(
          a, "out of memory while training segment " + a.segmentKey() + ": " + e.getMessage());
    } catch (Error e) {
      LOG.errorf(e, "segment %s failed with an error", a.segmentKey());
      freeMemory();
      return failed(a, e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      current.set(null);
    }
  }

  /** Drops what can be rebuilt (the decoded dataset) and asks for a collection. */
  private void freeMemory() {
    try {
      datasets.close();
    } catch (RuntimeException | Error e) {
      LOG.warnf("could not drop the dataset cache: %s", e.toString());
    }
    System.gc();
  }

  private SegmentOutcome failed(SegmentAssignment a, String reason) {
    LOG.warnf("segment %s failed: %s", a.segmentKey(), reason);
    metrics.segment("failed");
    return new SegmentOutcome.Failed(reason);
  }

  @PreDestroy
  void close() {
    datasets.close();
    root.close();
  }
}
