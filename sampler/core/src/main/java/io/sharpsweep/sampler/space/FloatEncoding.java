package io.sharpsweep.sampler.space;

/**
 * A float in {@code [low, high]}, uniform on a linear scale or, with {@code log}, uniform in {@code
 * ln x}. Decoded values are clamped into the range because {@code exp(ln x)} and {@code low + u
 * (high - low)} may round a last bit outside it.
 */
public record FloatEncoding(double low, double high, boolean log) implements ParamEncoding {

  @Override
  public Double decode(double u) {
    // The ends map to the bounds exactly (exp(ln low) need not be low).
    if (u <= 0 || low == high) {
      return low;
    }
    if (u >= 1) {
      return high;
    }
    double x;
    if (log) {
      double a = Math.log(low);
      x = Math.exp(a + u * (Math.log(high) - a));
    } else {
      double width = high - low;
      // The width overflows only for ranges near ±Double.MAX_VALUE; interpolate without it there.
      x = Double.isFinite(width) ? low + u * width : low * (1 - u) + high * u;
    }
    return Math.max(low, Math.min(high, x));
  }

  @Override
  public double encode(Object value) {
    double x = ((Number) value).doubleValue();
    if (low == high) {
      return 0.5;
    }
    double u;
    if (log) {
      double a = Math.log(low);
      u = (Math.log(x) - a) / (Math.log(high) - a);
    } else {
      double width = high - low;
      u = Double.isFinite(width) ? (x - low) / width : (x / 2 - low / 2) / (high / 2 - low / 2);
    }
    return ParamEncoding.clampUnit(u);
  }
}
