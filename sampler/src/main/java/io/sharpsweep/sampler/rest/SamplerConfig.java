package io.sharpsweep.sampler.rest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the sampler service ({@code sharpsweep.sampler.*}). */
@ConfigMapping(prefix = "sharpsweep.sampler")
public interface SamplerConfig {

  /**
   * The most observations + pending points one request may carry; larger requests get a 400 on
   * {@code observations}. Bounds the work of model-based samplers (a GP fit is cubic in it).
   */
  @WithDefault("10000")
  int maxHistory();
}
