package io.sharpsweep.worker.sam;

/** The loss became NaN or infinite: the trial cannot go on with this configuration. */
public class TrainingDivergedException extends RuntimeException {
  public TrainingDivergedException(String message) {
    super(message);
  }
}
