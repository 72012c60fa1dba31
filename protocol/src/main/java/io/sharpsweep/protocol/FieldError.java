package io.sharpsweep.protocol;

/**
 * One violated rule of an input, with the path of the offending field (for example {@code
 * space.params[3].low}).
 */
public record FieldError(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
