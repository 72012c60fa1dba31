package io.sharpsweep.worker.model;

/** The assignment names a model this worker cannot build (unknown, or not implemented yet). */
public class ModelUnavailableException extends RuntimeException {
  public ModelUnavailableException(String message) {
    super(message);
  }
}
