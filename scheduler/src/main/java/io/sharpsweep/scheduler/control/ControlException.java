package io.sharpsweep.scheduler.control;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.FieldError;
import java.util.List;

/**
 * The results-store answered a control call with a client error; {@link #errors()} is the store's
 * {@code {"errors": [...]}} body (empty if it sent none).
 */
public class ControlException extends RuntimeException {
  private final int status;
  private final ErrorResponse errors;

  public ControlException(int status, String message, ErrorResponse errors) {
    super(message);
    this.status = status;
    this.errors = errors == null || errors.errors() == null ? new ErrorResponse(List.of()) : errors;
  }

  /** The HTTP status the store answered. */
  public int status() {
    return status;
  }

  public ErrorResponse errors() {
    return errors;
  }

  /** The store's error body, or one error on {@code field} with this exception's message. */
  public ErrorResponse errorsOr(String field) {
    List<FieldError> list = errors.errors();
    return list.isEmpty() ? ErrorResponse.of(field, getMessage()) : errors;
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
