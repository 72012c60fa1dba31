package io.sharpsweep.scheduler.control;

/**
 * The results-store could not be reached, timed out, or answered a server error or an unreadable
 * body: worth retrying later. The message names the store's URL.
 */
public class StoreUnavailableException extends RuntimeException {
  private final String storeUrl;

  public StoreUnavailableException(String storeUrl, String message, Throwable cause) {
    super(message, cause);
    this.storeUrl = storeUrl;
  }

  public String storeUrl() {
    return storeUrl;
  }
}
