package io.sharpsweep.sampler.space;

import java.util.Arrays;

/**
 * A point of the unit cube as a set key, for telling whether a suggestion repeats an observed or
 * pending configuration. Use canonical points ({@link UnitCubeEncoding#encode} of an assignment),
 * so that two coordinates of one int or categorical value compare equal; NaN (inactive) equals NaN.
 */
public record PointKey(double[] u) {
  public PointKey {
    u = u.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PointKey k && Arrays.equals(u, k.u);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(u);
  }

  @Override
  public String toString() {
    return Arrays.toString(u);
  }
}
