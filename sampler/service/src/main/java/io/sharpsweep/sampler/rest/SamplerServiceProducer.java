package io.sharpsweep.sampler.rest;

import io.sharpsweep.sampler.SamplerRegistry;
import io.sharpsweep.sampler.SamplerService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the plain-Java {@link SamplerService} a bean, configured from {@link SamplerConfig}. */
@ApplicationScoped
public class SamplerServiceProducer {

  @Produces
  @Singleton
  SamplerService samplerService(SamplerConfig config) {
    return new SamplerService(SamplerRegistry.standard(), config.maxHistory());
  }
}
