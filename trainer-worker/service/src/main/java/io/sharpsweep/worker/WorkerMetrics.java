package io.sharpsweep.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sharpsweep.worker.engine.EpochStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus metrics of the worker: segments by outcome, leases by event, images trained, last
 * epoch's throughput.
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
    LEASE_EVENTS.forEach(this::leaseCounter);
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
   * @param outcome {@code trained}, {@code replayed}, {@code failed} or {@code stopped}
   */
  void segment(String outcome) {
    Counter.builder("sharpsweep.worker.segments")
        .description("segments handled, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** The lease events counted by {@link #lease(String)}. */
  static final List<String> LEASE_EVENTS =
      List.of("acquired", "completed", "released", "failed", "lost");

  /**
   * @param event {@code acquired}, {@code completed}, {@code released} (handed back), {@code
   *     failed} (reported with fail) or {@code lost} (409 from the store, or given up because it
   *     could not be renewed in time)
   */
  void lease(String event) {
    leaseCounter(event).increment();
  }

  private Counter leaseCounter(String event) {
    return Counter.builder("sharpsweep.worker.leases")
        .description("leases by event: acquired, completed, released, failed, lost")
        .tag("event", event)
        .register(registry);
  }

  double leaseCount(String event) {
    return leaseCounter(event).count();
  }

  double imagesPerSecond() {
    return imagesPerSecond.get();
  }
}
