package io.sharpsweep.worker.engine;

/**
 * A checkpoint is missing, unreadable, or belongs to another trial/configuration than the
 * assignment's.
 */
public class CheckpointException extends RuntimeException {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
