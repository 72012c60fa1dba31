package io.sharpsweep.sampler.moo;

import io.sharpsweep.protocol.pareto.Pareto;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.sampler.Sampler;
import io.sharpsweep.sampler.SamplerOptions;
import io.sharpsweep.sampler.Seeds;
import io.sharpsweep.sampler.SuggestContext;
import io.sharpsweep.sampler.gp.GpSampler;
import io.sharpsweep.sampler.tpe.TpeSampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * ParEGO (Knowles, "ParEGO: a hybrid algorithm with on-line landscape approximation for expensive
 * multiobjective optimization problems", IEEE TEC 10(1), 2006, eq. 2): every suggestion draws a
 * weight vector {@code lambda} uniformly from the simplex and hands a single-objective sampler the
 * augmented Chebyshev scalarisation {@code max_j lambda_j f_j + rho sum_j lambda_j f_j} of the
 * objectives, each scaled to {@code [0, 1]} over the observations (maximised ones negated first).
 * Different weights pull different suggestions towards different parts of the Pareto front.
 *
 * <p>Options: {@code base} ({@code gp}, the default, or {@code tpe}) and {@code rho} (0.05), plus
 * the base sampler's own options. The suggestions of one call are made one at a time, each with its
 * own weights and the earlier ones pending; the weights of a suggestion depend only on the seed and
 * how far the study has got, so a batch of 2 equals two calls of 1.
 */
public final class ParEgoSampler implements Sampler {
  public static final String TYPE = "parego";
  private static final long WEIGHT_STREAM = -11; // a per-call constant stream (see Seeds)

  private final Sampler base;
  private final double rho;

  public ParEgoSampler(Sampler base, double rho) {
    this.base = base;
    this.rho = rho;
  }

  public static ParEgoSampler fromOptions(SamplerOptions o) {
    String base = o.choice("base", "gp", Set.of("gp", "tpe"));
    double rho = o.number("rho", 0.05, 0, 10);
    Sampler sampler = base.equals("tpe") ? TpeSampler.fromOptions(o) : GpSampler.fromOptions(o);
    return new ParEgoSampler(sampler, rho);
  }

  /** The base sampler's bound: every suggestion hands it the whole history. */
  @Override
  public int maxHistory() {
    return base.maxHistory();
  }

  @Override
  public List<Map<String, Object>> suggest(SuggestContext context, int count) {
    if (base instanceof GpSampler gp) {
      // Each suggestion is one call of the GP with the earlier ones as pending: the GP's bounds.
      gp.checkBatch("parego", context, count);
    }
    double[][] losses = context.observedLosses();
    double[][] scaled = losses.length == 0 ? losses : scaled(losses);
    List<Pending> pending = new ArrayList<>(context.pending());
    List<Map<String, Object>> out = new ArrayList<>(count);
    for (int s = 0; s < count; s++) {
      long stream = context.historySize() + s;
      double[] lambda =
          weights(
              Seeds.derive(Seeds.derive(context.seed(), stream), WEIGHT_STREAM),
              context.objectives().size());
      List<Observation> scalarised = new ArrayList<>(losses.length);
      for (int i = 0; i < losses.length; i++) {
        scalarised.add(
            new Observation(
                context.observations().get(i).params(), List.of(chebyshev(scaled[i], lambda))));
      }
      SuggestContext inner =
          new SuggestContext(
              context.space(),
              context.encoding(),
              List.of(new Objective("parego", Goal.MINIMIZE)),
              scalarised,
              pending,
              context.seed());
      Map<String, Object> next = base.suggest(inner, 1).get(0);
      out.add(next);
      pending.add(new Pending(next));
    }
    return out;
  }

  /** Uniform on the simplex: normalised standard exponentials (a flat Dirichlet). */
  static double[] weights(long seed, int k) {
    RandomGenerator random = new Well19937c(seed);
    double[] w = new double[k];
    double sum = 0;
    for (int j = 0; j < k; j++) {
      w[j] = -Math.log(1 - random.nextDouble());
      sum += w[j];
    }
    for (int j = 0; j < k; j++) {
      w[j] /= sum;
    }
    return w;
  }

  /** The augmented Chebyshev scalarisation of scaled losses. */
  double chebyshev(double[] f, double[] lambda) {
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int j = 0; j < f.length; j++) {
      max = Math.max(max, lambda[j] * f[j]);
      sum += lambda[j] * f[j];
    }
    return max + rho * sum;
  }

  static double[][] scaled(double[][] losses) {
    return Pareto.minMaxScaled(losses);
  }
}
