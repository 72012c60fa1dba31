package io.sharpsweep.store.analysis;

/**
 * One input dimension of the importance model, with the bounds of its search space. A numeric
 * feature takes values in {@code [low, high]} (already on the parameter's scale: the logarithm for
 * a log-scale parameter); a categorical feature takes the indices {@code 0 … categories − 1} of its
 * choices, each choice weighing {@code 1/categories} of the space.
 */
public record Feature(String name, boolean categorical, double low, double high, int categories) {
  public Feature {
    if (categorical && (categories < 1 || categories > 64)) {
      throw new IllegalArgumentException(
          "feature " + name + ": categories must be 1 to 64, got " + categories);
    }
    if (!categorical && !(low <= high)) {
      throw new IllegalArgumentException(
          "feature " + name + ": low must be at most high, got [" + low + ", " + high + "]");
    }
  }

  public static Feature numeric(String name, double low, double high) {
    return new Feature(name, false, low, high, 0);
  }

  public static Feature categorical(String name, int categories) {
    return new Feature(name, true, 0, categories - 1, categories);
  }

  /** The mask of every category of a categorical feature. */
  long allCategories() {
    return categories == 64 ? -1L : (1L << categories) - 1;
  }
}
