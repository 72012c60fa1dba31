package io.sharpsweep.scheduler.control;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.api.ApiException;

/**
 * The results-store answered a control call with a client error; {@link #errors()} is the store's
 * {@code {"errors": [...]}} body (empty if it sent none).
 */
public class ControlException extends ApiException {
  public ControlException(int status, String message, ErrorResponse errors) {
    super(status, message, errors);
  }

  /** 400: the store refused the request's content. */
  public static final class BadRequest extends ControlException {
    public BadRequest(String message, ErrorResponse errors) {
      super(400, message, errors);
    }
  }

  /** 404: no such study. */
  public static final class NotFound extends ControlException {
    public NotFound(String message, ErrorResponse errors) {
      super(404, message, errors);
    }
  }

  /**
   * 409: the request conflicts with the study's state, e.g. new trials whose {@code firstNumber} is
   * not the study's next number (another scheduler replica was first).
   */
  public static final class Conflict extends ControlException {
    public Conflict(String message, ErrorResponse errors) {
      super(409, message, errors);
    }
  }
}
