package io.sharpsweep.worker;

/** A report was not acknowledged by the broker in time: the assignment must not be committed. */
public class ReportPublishException extends RuntimeException {
  public ReportPublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
