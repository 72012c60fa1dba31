package io.sharpsweep.sampler.bench;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The six-dimensional Hartmann function (Hartman, 1973; constants as in Dixon and Szegő, 1978) on
 * {@code [0, 1]^6}: {@code -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2)}, global minimum {@code
 * f* = -3.322368} at {@code (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)}.
 */
public final class Hartmann6 implements Problem {
  public static final double OPTIMUM = -3.32236801141551;

  private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
  private static final double[][] A = {
    {10, 3, 17, 3.5, 1.7, 8},
    {0.05, 10, 17, 0.1, 8, 14},
    {3, 3.5, 1.7, 10, 17, 8},
    {17, 8, 0.05, 10, 0.1, 14}
  };
  private static final double[][] P = {
    {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
    {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
    {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
    {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}
  };

  @Override
  public String name() {
    return "hartmann6";
  }

  @Override
  public SearchSpace space() {
    List<ParamSpec> params = new ArrayList<>();
    for (int j = 1; j <= 6; j++) {
      params.add(ParamSpec.floatParam("x" + j, 0, 1, false));
    }
    return new SearchSpace(params);
  }

  @Override
  public List<Objective> objectives() {
    return List.of(new Objective("f", Goal.MINIMIZE));
  }

  @Override
  public double[] evaluate(Map<String, Object> params) {
    double[] x = new double[6];
    for (int j = 0; j < 6; j++) {
      x[j] = ((Number) params.get("x" + (j + 1))).doubleValue();
    }
    return new double[] {value(x)};
  }

  public static double value(double[] x) {
    double f = 0;
    for (int i = 0; i < 4; i++) {
      double s = 0;
      for (int j = 0; j < 6; j++) {
        double d = x[j] - P[i][j];
        s += A[i][j] * d * d;
      }
      f -= ALPHA[i] * Math.exp(-s);
    }
    return f;
  }

  @Override
  public Double optimum() {
    return OPTIMUM;
  }
}
