package io.sharpsweep.worker.config;

/**
 * A trial configuration the worker cannot train: a knob of the wrong type or range, an unknown knob
 * or variant. The message names the knob ({@code config.<name>}) and the rule it breaks.
 */
public class InvalidConfigException extends RuntimeException {
  public InvalidConfigException(String message) {
    super(message);
  }
}
