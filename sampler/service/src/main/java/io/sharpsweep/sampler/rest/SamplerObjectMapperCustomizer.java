package io.sharpsweep.sampler.rest;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.sharpsweep.protocol.Json;
import jakarta.inject.Singleton;

/**
 * Gives Quarkus's ObjectMapper SharpSweep's JSON settings. It also reads the non-standard tokens
 * {@code NaN} and {@code Infinity}: a client that writes a diverged trial's value that way then
 * gets the validation error {@code observations[i].values[j]: must be a finite number} instead of a
 * bare parse error.
 */
@Singleton
public class SamplerObjectMapperCustomizer implements ObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    Json.configure(mapper);
    mapper.configure(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature(), true);
  }
}
