package io.sharpsweep.worker.engine;

/**
 * A trial configuration the worker cannot train: a knob of the wrong type or range, an unknown
 * variant.
 */
public class InvalidConfigException extends RuntimeException {
  public InvalidConfigException(String message) {
    super(message);
  }
}
