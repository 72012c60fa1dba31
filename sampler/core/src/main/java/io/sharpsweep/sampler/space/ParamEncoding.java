package io.sharpsweep.sampler.space;

import io.sharpsweep.protocol.space.ParamSpec;

/**
 * How one parameter maps to a coordinate of the unit interval and back. Samplers work in {@code [0,
 * 1)}; the encoding turns a coordinate into a legal value of the parameter ({@link #decode}) and a
 * value into the coordinate of its centre ({@link #encode}), so that {@code decode(encode(v))} is
 * {@code v}.
 */
public sealed interface ParamEncoding permits FloatEncoding, IntEncoding, CategoricalEncoding {

  /** A legal value of the parameter for the coordinate {@code u} in {@code [0, 1]}. */
  Object decode(double u);

  /** The coordinate in {@code [0, 1]} of a legal value of the parameter. */
  double encode(Object value);

  static ParamEncoding of(ParamSpec p) {
    boolean log = Boolean.TRUE.equals(p.log());
    return switch (p.type()) {
      case FLOAT -> new FloatEncoding(p.low(), p.high(), log);
      case INT -> new IntEncoding(p.low().longValue(), p.high().longValue(), log);
      case CATEGORICAL -> new CategoricalEncoding(p.choices());
    };
  }

  /**
   * {@code u} moved into {@code [0, 1]} (guards against coordinates a hair outside after
   * arithmetic).
   */
  static double clampUnit(double u) {
    return u < 0 ? 0 : Math.min(u, 1);
  }
}
