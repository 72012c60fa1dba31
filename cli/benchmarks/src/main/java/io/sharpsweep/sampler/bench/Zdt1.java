package io.sharpsweep.sampler.bench;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ZDT1 (Zitzler, Deb and Thiele, "Comparison of multiobjective evolutionary algorithms: empirical
 * results", Evolutionary Computation 8(2), 2000) with 10 variables in {@code [0, 1]}: {@code f1 =
 * x1}, {@code g = 1 + 9 mean(x2..x10)}, {@code f2 = g (1 - sqrt(f1 / g))}, both minimised. The true
 * front is {@code f2 = 1 - sqrt(f1)} (all other variables 0); with the reference point {@code (1.1,
 * 1.1)} its hypervolume is {@code 0.21 + 2/3 = 0.876667}.
 */
public final class Zdt1 implements Problem {
  public static final int VARIABLES = 10;
  public static final double OPTIMAL_HYPERVOLUME = 0.21 + 2.0 / 3.0;

  @Override
  public String name() {
    return "zdt1";
  }

  @Override
  public SearchSpace space() {
    List<ParamSpec> params = new ArrayList<>();
    for (int j = 1; j <= VARIABLES; j++) {
      params.add(ParamSpec.floatParam("x" + j, 0, 1, false));
    }
    return new SearchSpace(params);
  }

  @Override
  public List<Objective> objectives() {
    return List.of(new Objective("f1", Goal.MINIMIZE), new Objective("f2", Goal.MINIMIZE));
  }

  @Override
  public double[] evaluate(Map<String, Object> params) {
    double[] x = new double[VARIABLES];
    for (int j = 0; j < VARIABLES; j++) {
      x[j] = ((Number) params.get("x" + (j + 1))).doubleValue();
    }
    return value(x);
  }

  public static double[] value(double[] x) {
    double sum = 0;
    for (int j = 1; j < x.length; j++) {
      sum += x[j];
    }
    double g = 1 + 9 * sum / (x.length - 1);
    double f1 = x[0];
    return new double[] {f1, g * (1 - Math.sqrt(f1 / g))};
  }

  @Override
  public double[] referencePoint() {
    return new double[] {1.1, 1.1};
  }

  @Override
  public Double optimalHypervolume() {
    return OPTIMAL_HYPERVOLUME;
  }
}
