package io.sharpsweep.scheduler.sampler;

/** The sampler could not be reached or failed; the scheduler retries later. */
public class SamplerUnavailableException extends RuntimeException {
  public SamplerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
