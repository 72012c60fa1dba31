package io.sharpsweep.scheduler.sampler;

import io.sharpsweep.protocol.FieldError;
import java.util.List;

/** The sampler answered 400: the study's space or sampler settings are not acceptable to it. */
public class SamplerRejectedException extends RuntimeException {
  private final List<FieldError> errors;

  public SamplerRejectedException(List<FieldError> errors) {
    super("the sampler rejected the request: " + errors);
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
