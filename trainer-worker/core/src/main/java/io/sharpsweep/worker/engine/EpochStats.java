package io.sharpsweep.worker.engine;

/**
 * Worker-side numbers about one epoch, beside its report: examples trained and the seconds the
 * training iterations took (0 and {@code replayed = true} for a report re-sent from a stored
 * checkpoint).
 */
public record EpochStats(
    int epoch, long examplesTrained, long iterations, double trainSeconds, boolean replayed) {
  public double examplesPerSecond() {
    return trainSeconds > 0 ? examplesTrained / trainSeconds : 0.0;
  }

  public double millisPerIteration() {
    return iterations > 0 ? trainSeconds * 1000.0 / iterations : 0.0;
  }
}
