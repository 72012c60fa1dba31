package io.sharpsweep.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sharpsweep.worker.engine.EpochStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus metrics of the worker: segments by outcome, images trained, last epoch's throughput.
 */
@ApplicationScoped
public class WorkerMetrics {
  private final MeterRegistry registry;
  private final Counter images;
  private final AtomicReference<Double> imagesPerSecond = new AtomicReference<>(0.0);
  private final AtomicReference<Double> millisPerStep = new AtomicReference<>(0.0);

  @Inject
  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.images =
        Counter.builder("sharpsweep.worker.training.images")
            .description("training examples processed (one per example per iteration)")
            .register(registry);
    registry.gauge(
        "sharpsweep.worker.training.images.per.second", imagesPerSecond, AtomicReference::get);
    registry.gauge(
        "sharpsweep.worker.training.step.milliseconds", millisPerStep, AtomicReference::get);
  }

  void epoch(EpochStats stats) {
    if (stats.replayed()) {
      return;
    }
    images.increment(stats.examplesTrained());
    imagesPerSecond.set(stats.examplesPerSecond());
    millisPerStep.set(stats.millisPerIteration());
  }

  /**
   * @param outcome {@code trained}, {@code replayed} or {@code failed}
   */
  void segment(String outcome) {
    Counter.builder("sharpsweep.worker.segments")
        .description("segments handled, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  double imagesPerSecond() {
    return imagesPerSecond.get();
  }
}
