package io.sharpsweep.protocol;

/** A Kafka record or REST body that cannot be decoded into the record it should hold. */
public class MalformedRecordException extends RuntimeException {
  public MalformedRecordException(String message, Throwable cause) {
    super(message, cause);
  }

  public MalformedRecordException(String message) {
    super(message);
  }
}
