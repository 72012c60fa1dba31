package io.sharpsweep.protocol;

import java.util.List;

/** The body of every 400 answer: {@code {"errors": [{"field": "...", "message": "..."}]}}. */
public record ErrorResponse(List<FieldError> errors) {
  public static ErrorResponse of(String field, String message) {
    return new ErrorResponse(List.of(new FieldError(field, message)));
  }
}
