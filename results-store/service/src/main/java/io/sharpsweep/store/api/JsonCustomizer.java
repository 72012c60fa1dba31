package io.sharpsweep.store.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.sharpsweep.protocol.Json;
import jakarta.inject.Singleton;

/** REST bodies follow the same JSON rules as the Kafka records (protocol's {@link Json}). */
@Singleton
public class JsonCustomizer implements ObjectMapperCustomizer {
  @Override
  public void customize(ObjectMapper mapper) {
    Json.configure(mapper);
  }
}
