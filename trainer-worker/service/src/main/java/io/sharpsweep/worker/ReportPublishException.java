package io.sharpsweep.worker;

/** A report was not acknowledged by the broker in time: it must be sent again before completion. */
public class ReportPublishException extends RuntimeException {
  public ReportPublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
