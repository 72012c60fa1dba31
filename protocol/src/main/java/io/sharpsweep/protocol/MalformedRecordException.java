package io.sharpsweep.protocol;

/**
 * A Kafka record or REST body that cannot be decoded into the record it should hold. {@link
 * #field()} is the path of the offending field ({@code space.params[3].low}) when the decoder could
 * tell, else empty.
 */
public class MalformedRecordException extends RuntimeException {
  private final String field;

  public MalformedRecordException(String message, String field, Throwable cause) {
    super(message, cause);
    this.field = field == null ? "" : field;
  }

  public MalformedRecordException(String message, Throwable cause) {
    this(message, "", cause);
  }

  public MalformedRecordException(String message) {
    this(message, "", null);
  }

  public String field() {
    return field;
  }
}
