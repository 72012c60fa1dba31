package io.sharpsweep.protocol.study;

/**
 * The data a study trains on.
 *
 * @param name {@code fashion-mnist}, {@code cifar10}, {@code cifar100} or {@code synthetic}
 * @param path directory holding the dataset's files; empty for the worker's configured default
 * @param validationFraction share of the training set held out (seeded) for the validation metrics
 * @param labelNoise share of training labels flipped to another class (seeded), 0 for none
 * @param trainLimit use only the first {@code trainLimit} training examples (small studies, tests)
 * @param testLimit use only the first {@code testLimit} test examples
 */
public record DatasetSpec(
    String name,
    String path,
    Double validationFraction,
    Double labelNoise,
    Integer trainLimit,
    Integer testLimit) {
  public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

  public double validationFractionOrDefault() {
    return validationFraction == null ? DEFAULT_VALIDATION_FRACTION : validationFraction;
  }

  public double labelNoiseOrDefault() {
    return labelNoise == null ? 0.0 : labelNoise;
  }
}
