package io.sharpsweep.store.db;

/** The database refused or failed an operation of the store; the message names the operation. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
