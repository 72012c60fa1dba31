package io.sharpsweep.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code sharpsweep.scheduler.*} */
@ConfigMapping(prefix = "sharpsweep.scheduler")
public interface SchedulerConfig {
  /** Base URL of the sampler service. */
  @WithDefault("http://127.0.0.1:8081")
  String samplerUrl();

  /** How long one suggest call may take before it counts as unavailable. */
  @WithDefault("30s")
  Duration samplerTimeout();

  /** Base URL of the results-store, which owns every study's state (its control endpoints). */
  @WithDefault("http://127.0.0.1:8082")
  String storeUrl();

  /** Connect and request time-out of one call to the results-store. */
  @WithDefault("10s")
  Duration storeTimeout();

  /**
   * How often the scheduler asks the store which studies want trials (besides right after a create
   * and on every record of {@code sharpsweep.decisions}).
   */
  @WithDefault("1s")
  Duration refillInterval();

  /** Threads that run fills (one study is filled by at most one of them at a time). */
  @WithDefault("2")
  int fillThreads();

  /**
   * Largest estimated training set a worker holds in its JVM, in bytes; larger studies are refused
   * at creation ({@code dataset.trainLimit}). The default, 512 MiB, leaves half of the local
   * stack's 1 GiB worker heap for the model and training.
   */
  @WithDefault("536870912")
  long maxDatasetBytes();
}
