package io.sharpsweep.worker.replay;

/** An {@code .npz}/{@code .npy} file that cannot be read or does not hold what is asked for. */
public class NpzException extends RuntimeException {
  public NpzException(String message) {
    super(message);
  }

  public NpzException(String message, Throwable cause) {
    super(message, cause);
  }
}
