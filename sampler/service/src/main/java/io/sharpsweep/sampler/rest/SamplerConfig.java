package io.sharpsweep.sampler.rest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the sampler service ({@code sharpsweep.sampler.*}). */
@ConfigMapping(prefix = "sharpsweep.sampler")
public interface SamplerConfig {

  /**
   * The most observations + pending points one request may carry; larger requests get a 400 on
   * {@code observations}. Bounds the work of samplers whose cost grows with the history (TPE's
   * linearly; the GP's posterior is capped by its own {@code max_observations}).
   */
  @WithDefault("20000")
  int maxHistory();
}
