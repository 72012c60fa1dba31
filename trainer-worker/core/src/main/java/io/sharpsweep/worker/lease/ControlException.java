package io.sharpsweep.worker.lease;

/**
 * A control call that got no usable answer: the store was unreachable, timed out or answered 5xx
 * ({@link #retryable()}: try again later), or answered something the contract does not allow (a 4xx
 * other than 409/404: retrying would get the same answer).
 */
public class ControlException extends Exception {
  private final int status;

  public ControlException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status, or 0 when there was no answer at all. */
  public int status() {
    return status;
  }

  public boolean retryable() {
    return status == 0 || status >= 500 || status == 408 || status == 429;
  }
}
