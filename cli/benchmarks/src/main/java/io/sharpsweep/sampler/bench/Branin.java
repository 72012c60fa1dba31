package io.sharpsweep.sampler.bench;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import java.util.List;
import java.util.Map;

/**
 * The Branin-Hoo function (Dixon and Szegő, "The global optimization problem", 1978), rescaled form
 * {@code a (x2 - b x1^2 + c x1 - r)^2 + s (1 - t) cos(x1) + s}, on {@code x1 in [-5, 10], x2 in [0,
 * 15]}; three global minima of {@code f* = 0.397887}.
 */
public final class Branin implements Problem {
  public static final double OPTIMUM = 0.39788735772973816;

  @Override
  public String name() {
    return "branin";
  }

  @Override
  public SearchSpace space() {
    return new SearchSpace(
        List.of(
            ParamSpec.floatParam("x1", -5, 10, false), ParamSpec.floatParam("x2", 0, 15, false)));
  }

  @Override
  public List<Objective> objectives() {
    return List.of(new Objective("f", Goal.MINIMIZE));
  }

  @Override
  public double[] evaluate(Map<String, Object> params) {
    return new double[] {
      value(((Number) params.get("x1")).doubleValue(), ((Number) params.get("x2")).doubleValue())
    };
  }

  public static double value(double x1, double x2) {
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    double q = x2 - b * x1 * x1 + c * x1 - 6;
    return q * q + 10 * (1 - t) * Math.cos(x1) + 10;
  }

  @Override
  public Double optimum() {
    return OPTIMUM;
  }
}
