package io.sharpsweep.store.service;

import io.sharpsweep.store.StoreConfig;
import java.time.Duration;

/** The control plane's timing: lease TTL and how long a finishing segment waits for its report. */
public record ControlSettings(Duration leaseTtl, Duration finishingTimeout) {
  public static final ControlSettings DEFAULTS =
      new ControlSettings(Duration.ofSeconds(6), Duration.ofMinutes(2));

  public static ControlSettings of(StoreConfig config) {
    return new ControlSettings(config.leaseTtl(), config.finishingTimeout());
  }
}
