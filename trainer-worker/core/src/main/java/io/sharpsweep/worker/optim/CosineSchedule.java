package io.sharpsweep.worker.optim;

/**
 * Cosine annealing to 0 over the trial's planned iterations, stepped per iteration (as the official
 * JAX code of SAM does; docs/sam-variants.md#sgd): {@code η_t = η·½·(1 + cos(π·t/T))}. Planned over
 * the whole trial, not the segment, so a trial trained in segments follows the same curve as one
 * trained straight. Past {@code T} the rate stays 0.
 */
public record CosineSchedule(double baseLearningRate, long totalIterations)
    implements LearningRateSchedule {

  public CosineSchedule {
    if (totalIterations <= 0) {
      throw new IllegalArgumentException("total iterations must be > 0, got " + totalIterations);
    }
  }

  @Override
  public double at(long t) {
    if (t >= totalIterations) {
      return 0.0;
    }
    return baseLearningRate * 0.5 * (1.0 + Math.cos(Math.PI * t / totalIterations));
  }
}
