package io.sharpsweep.scheduler;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.scheduler.control.ControlClient;
import io.sharpsweep.scheduler.sampler.HttpSuggestionSource;
import io.sharpsweep.scheduler.trials.TrialFactory;
import io.sharpsweep.service.auth.ServiceToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wires the plain-Java parts to HTTP: the store's control client, the trial factory on its own
 * executor (both send the service token, {@code sharpsweep.auth.token-file}, when one is
 * configured), and the ticker that asks the store every {@code refill-interval} which studies want
 * trials.
 */
@ApplicationScoped
public class SchedulerBeans {
  private ExecutorService fills;
  private ScheduledExecutorService ticker;

  @Produces
  @Singleton
  ControlClient controlClient(SchedulerConfig config, ServiceToken token) {
    return new ControlClient(config.storeUrl(), config.storeTimeout(), token.value());
  }

  @Produces
  @Singleton
  TrialFactory trialFactory(SchedulerConfig config, ControlClient store, ServiceToken token) {
    AtomicInteger n = new AtomicInteger();
    fills =
        Executors.newFixedThreadPool(
            Math.max(1, config.fillThreads()),
            r -> {
              Thread t = new Thread(r, "trial-fill-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    return new TrialFactory(
        store,
        new HttpSuggestionSource(config.samplerUrl(), config.samplerTimeout(), token.value()),
        fills);
  }

  @Produces
  @Singleton
  io.quarkus.jackson.ObjectMapperCustomizer sharpsweepJson() {
    return Json::configure;
  }

  void start(
      @Observes StartupEvent start,
      SchedulerConfig config,
      TrialFactory factory,
      MeterRegistry registry) {
    FunctionCounter.builder("sharpsweep.trials.created", factory, TrialFactory::trialsCreated)
        .description("trials this scheduler created in the store")
        .register(registry);
    FunctionCounter.builder("sharpsweep.trials.conflicts", factory, TrialFactory::conflicts)
        .description("sampler answers dropped because another scheduler created the trials first")
        .register(registry);
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "trial-refill-ticker");
              t.setDaemon(true);
              return t;
            });
    long ms = Math.max(10, config.refillInterval().toMillis());
    ticker.scheduleWithFixedDelay(
        () -> {
          try {
            factory.tick();
          } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(SchedulerBeans.class).warn("refill tick failed", e);
          }
        },
        0,
        ms,
        TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent stop) {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (fills != null) {
      fills.shutdownNow();
    }
  }
}
