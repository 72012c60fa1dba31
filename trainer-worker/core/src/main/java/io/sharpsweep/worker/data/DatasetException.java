package io.sharpsweep.worker.data;

/**
 * A dataset that cannot be used: a file is missing or corrupt, or the spec asks for something the
 * files do not hold. The message names the file (or the spec field) and what is wrong.
 */
public class DatasetException extends RuntimeException {
  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
