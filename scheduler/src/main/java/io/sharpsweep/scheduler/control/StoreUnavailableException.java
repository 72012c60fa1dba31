package io.sharpsweep.scheduler.control;

import io.sharpsweep.protocol.api.ApiException;

/**
 * The results-store could not be reached, timed out, or answered a server error or an unreadable
 * body: worth retrying later. The message names the store's URL; {@link #status()} is 0 when no
 * answer came.
 */
public class StoreUnavailableException extends ApiException {
  private final String storeUrl;

  public StoreUnavailableException(String storeUrl, int status, String message, Throwable cause) {
    super(status, message, null, cause);
    this.storeUrl = storeUrl;
  }

  public String storeUrl() {
    return storeUrl;
  }
}
