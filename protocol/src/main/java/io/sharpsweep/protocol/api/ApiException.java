package io.sharpsweep.protocol.api;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.FieldError;
import java.util.List;

/**
 * A SharpSweep service refused a request, could not be reached, or answered a body that cannot be
 * read. {@link #status()} is the HTTP status (0 when no answer came); {@link #errors()} the
 * service's {@code {"errors": [{"field", "message"}]}} body (empty when it sent none). The message
 * is one line naming the service, its URL, the request and the errors.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final ErrorResponse errors;

  public ApiException(int status, String message, ErrorResponse errors, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errors = errors == null || errors.errors() == null ? new ErrorResponse(List.of()) : errors;
  }

  public ApiException(int status, String message, ErrorResponse errors) {
    this(status, message, errors, null);
  }

  /** The HTTP status the service answered, or 0 when it could not be reached. */
  public int status() {
    return status;
  }

  /** The service's error body; empty when it sent none. */
  public ErrorResponse errors() {
    return errors;
  }

  /** The service's error body, or one error on {@code field} with this exception's message. */
  public ErrorResponse errorsOr(String field) {
    List<FieldError> list = errors.errors();
    return list.isEmpty() ? ErrorResponse.of(field, getMessage()) : errors;
  }

  /**
   * Whether trying again later may succeed: no answer (unreachable, timed out), a server error
   * (5xx) or an unreadable body.
   */
  public boolean retryable() {
    return status == 0 || status >= 500 || (status >= 200 && status < 300);
  }
}
