package io.sharpsweep.worker.engine;

/**
 * A segment assignment that is not a well-formed order (missing ids, an impossible epoch range): it
 * names no trial the worker could report on, so it goes to the dead-letter topic rather than
 * becoming a TrialFailed.
 */
public class InvalidAssignmentException extends RuntimeException {
  public InvalidAssignmentException(String message) {
    super(message);
  }
}
