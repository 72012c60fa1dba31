package io.sharpsweep.worker.engine;

/**
 * A segment assignment that is not a well-formed order (missing ids, an impossible epoch range).
 * The worker reports it on the lease that carried it ({@code fail}, with this message).
 */
public class InvalidAssignmentException extends RuntimeException {
  public InvalidAssignmentException(String message) {
    super(message);
  }
}
