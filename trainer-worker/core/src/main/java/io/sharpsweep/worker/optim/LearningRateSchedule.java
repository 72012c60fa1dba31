package io.sharpsweep.worker.optim;

/**
 * The learning rate at optimizer iteration {@code t} (counted from 0, advanced once per iteration).
 */
@FunctionalInterface
public interface LearningRateSchedule {
  double at(long t);

  static LearningRateSchedule constant(double learningRate) {
    return t -> learningRate;
  }
}
