package io.sharpsweep.cli.stack;

/** The local stack could not be started or reached; the message says what and where to look. */
public class StackException extends RuntimeException {
  public StackException(String message) {
    super(message);
  }

  public StackException(String message, Throwable cause) {
    super(message, cause);
  }
}
