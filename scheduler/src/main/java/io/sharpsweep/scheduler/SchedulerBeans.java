package io.sharpsweep.scheduler;

import io.quarkus.runtime.StartupEvent;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.scheduler.messaging.KafkaStudyPublisher;
import io.sharpsweep.scheduler.sampler.HttpSuggestionSource;
import io.sharpsweep.scheduler.study.StudyCoordinator;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires the plain-Java coordinator to HTTP and Kafka, and retries filling studies whose sampler was
 * unavailable.
 */
@ApplicationScoped
public class SchedulerBeans {
  private ScheduledExecutorService ticker;

  @Produces
  @Singleton
  StudyCoordinator coordinator(SchedulerConfig config, KafkaStudyPublisher publisher) {
    return new StudyCoordinator(
        new HttpSuggestionSource(config.samplerUrl(), config.samplerTimeout()),
        publisher,
        Clock.systemUTC());
  }

  @Produces
  @Singleton
  io.quarkus.jackson.ObjectMapperCustomizer sharpsweepJson() {
    return Json::configure;
  }

  void startRefill(
      @Observes StartupEvent start,
      SchedulerConfig config,
      StudyCoordinator coordinator,
      KafkaStudyPublisher publisher,
      io.micrometer.core.instrument.MeterRegistry registry) {
    registry.gauge(
        "sharpsweep.segments.in-flight", publisher, KafkaStudyPublisher::segmentsInFlight);
    ticker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "study-refill"));
    long ms = config.refillInterval().toMillis();
    ticker.scheduleWithFixedDelay(coordinator::refillAll, ms, ms, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}
