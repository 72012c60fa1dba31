package io.sharpsweep.worker;

import ai.djl.ndarray.NDManager;
import io.quarkus.runtime.Startup;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.messages.TrialFailed;
import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.data.DatasetCache;
import io.sharpsweep.worker.data.DatasetException;
import io.sharpsweep.worker.data.DatasetLoader;
import io.sharpsweep.worker.engine.CheckpointException;
import io.sharpsweep.worker.engine.CheckpointStore;
import io.sharpsweep.worker.engine.SegmentResult;
import io.sharpsweep.worker.engine.SegmentTrainer;
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
 * Runs one segment at a time: trains it with the engine, publishes every epoch report (awaiting the
 * broker), and turns a failure the trial cannot recover from into a {@link TrialFailed}. Started
 * eagerly so the PyTorch engine loads with the configured threads before the first assignment
 * arrives.
 */
@Startup
@ApplicationScoped
public class TrainingService {
  private static final Logger LOG = Logger.getLogger(TrainingService.class);

  private final ReportPublisher publisher;
  private final WorkerMetrics metrics;
  private final String workerId;
  private final CheckpointStore checkpoints;
  private final NDManager root;
  private final DatasetCache datasets;
  private final SegmentTrainer trainer;
  private final AtomicReference<String> current = new AtomicReference<>();

  @Inject
  public TrainingService(WorkerConfig config, ReportPublisher publisher, WorkerMetrics metrics) {
    this.publisher = publisher;
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
   * Trains (or replays) the segment and publishes its reports; a failure of the trial is published
   * as a TrialFailed. Throws only when a report cannot be delivered — then the assignment must not
   * be committed.
   */
  public void process(SegmentAssignment a) {
    current.set(a.segmentKey());
    try {
      SegmentResult result =
          trainer.train(
              a,
              checkpoints,
              (report, stats) -> {
                publisher.publish(report);
                metrics.epoch(stats);
              });
      metrics.segment(result.epochsTrained() > 0 ? "trained" : "replayed");
      LOG.infof(
          "segment %s done: %d epochs trained, %d re-sent; val accuracy %.4f",
          a.segmentKey(),
          result.epochsTrained(),
          result.epochsReplayed(),
          result.last().metrics().valAccuracy());
    } catch (ReportPublishException e) {
      throw e;
    } catch (InvalidConfigException
        | ModelUnavailableException
        | DatasetException
        | CheckpointException
        | TrainingDivergedException e) {
      fail(a, e.getMessage());
    } catch (RuntimeException e) {
      // Not a known trial failure: still a failed segment for the study, but log the stack for us.
      LOG.errorf(e, "segment %s failed unexpectedly", a.segmentKey());
      fail(a, e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      current.set(null);
    }
  }

  private void fail(SegmentAssignment a, String reason) {
    LOG.warnf("segment %s failed: %s", a.segmentKey(), reason);
    metrics.segment("failed");
    publisher.publish(
        new TrialFailed(
            SchemaVersion.CURRENT,
            a.studyId(),
            a.trialId(),
            a.attempt(),
            a.fromEpoch(),
            reason,
            workerId));
  }

  @PreDestroy
  void close() {
    datasets.close();
    root.close();
  }
}
