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

  /** How often studies whose sampler call failed are tried again. */
  @WithDefault("5s")
  Duration refillInterval();
}
