package io.sharpsweep.sampler.gp;

import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.stats.Moments;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.sampler.Sampler;
import io.sharpsweep.sampler.SamplerOptions;
import io.sharpsweep.sampler.SuggestContext;
import io.sharpsweep.sampler.qmc.SobolSampler;
import io.sharpsweep.sampler.space.PointKey;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Bayesian optimisation with a Gaussian process and expected improvement ("GP-EI": Jones, Schonlau
 * and Welch, 1998; Snoek, Larochelle and Adams, "Practical Bayesian optimization of machine
 * learning algorithms", NeurIPS 2012):
 *
 * <ol>
 *   <li>the first {@code nStartupTrials} points walk the study's Sobol' sequence ({@link
 *       SobolSampler});
 *   <li>inputs are the unit-cube coordinates ({@link InputFeatures}: categoricals one-hot), the
 *       single objective's losses are standardised (zero mean, unit variance);
 *   <li>the posterior is conditioned on at most {@code maxObservations} observations ({@link
 *       #kept}): all of them below that, else the better half by loss and a maximin spread of the
 *       rest, so that the exact posterior's cubic cost stays bounded however long the study;
 *   <li>a {@link GaussianProcess} with a Matérn-5/2 ARD kernel is fitted by {@link
 *       HyperparameterFit} (on at most {@code maxFitPoints} of the kept observations: the better
 *       half and an even spread of the rest; the posterior then uses every kept one);
 *   <li>log expected improvement ({@link ExpectedImprovement}) below the best loss is scored on
 *       {@code nCandidates} uniform points and on perturbations of the best observations, and the
 *       {@code nLocalSearches} best candidates are refined by BOBYQA over the numeric coordinates
 *       (Brent's method if there is one), categoricals held at the candidate's choice;
 *   <li>pending points, and each suggestion of a batch, join the GP as fantasies at their posterior
 *       mean (the "kriging believer" of Ginsbourger, Le Riche and Carraro, 2010), which removes
 *       their posterior variance and so their expected improvement.
 * </ol>
 *
 * Deterministic: every random draw comes from {@link SuggestContext#newRandom()}.
 */
public final class GpSampler implements Sampler {
  public static final String TYPE = "gp";

  /**
   * The most suggestions one call may ask for: each suggestion of a batch joins the posterior as a
   * fantasy and the expected improvement is maximised again, so a call costs {@code count} times
   * one suggestion. The store asks for no more ({@link SuggestRequest#MAX_COUNT_PER_CALL}).
   */
  public static final int MAX_COUNT = SuggestRequest.MAX_COUNT_PER_CALL;

  /**
   * The most fantasies one call adds to the posterior, {@code pending + count - 1}: pending points
   * are what keeps parallel suggestions apart, so the posterior conditions on the most recent
   * {@code MAX_FANTASIES - (count - 1)} of them (all of them stay excluded as duplicates), and
   * holds at most {@code maxObservations + MAX_FANTASIES} points.
   */
  public static final int MAX_FANTASIES = 1_000;

  /**
   * The largest {@code max_observations}: kernel matrix and Cholesky factor take {@code 8 n²} bytes
   * each, and the time and heap of this size are measured in sampler/README.md.
   */
  public static final int MAX_OBSERVATIONS_LIMIT = 1_500;

  private static final int PERTURBED_ANCHORS = 5;
  private static final int PERTURBATIONS = 64;

  /** The settings of the GP sampler; see the class comment. */
  public record Options(
      int nStartupTrials,
      int nCandidates,
      int nLocalSearches,
      int maxFitPoints,
      int maxObservations) {
    public static Options defaults() {
      return new Options(10, 512, 5, 100, 500);
    }

    public static Options read(SamplerOptions o) {
      Options d = defaults();
      return new Options(
          o.integer("n_startup_trials", d.nStartupTrials(), 1, 10_000),
          o.integer("n_candidates", d.nCandidates(), 1, 100_000),
          o.integer("n_local_searches", d.nLocalSearches(), 0, 100),
          o.integer("max_fit_points", d.maxFitPoints(), 10, 10_000),
          o.integer(
              "max_observations",
              d.maxObservations(),
              2 * PERTURBED_ANCHORS,
              MAX_OBSERVATIONS_LIMIT));
    }
  }

  private final Options options;

  public GpSampler(Options options) {
    this.options = options;
  }

  public static GpSampler fromOptions(SamplerOptions o) {
    return new GpSampler(Options.read(o));
  }

  public Options options() {
    return options;
  }

  /**
   * Refuses a batch the model would not answer within its budget, once there are {@code
   * nStartupTrials} observations (the Sobol' points before cost nothing, so a study's first batch
   * may be as large as its parallelism): see {@link #checkBatch(String, int)}.
   *
   * @param type the sampler the client asked for, named in the error
   */
  public void checkBatch(String type, SuggestContext context, int count) {
    if (context.observations().size() >= options.nStartupTrials()) {
      checkBatch(type, count);
    }
  }

  /** Refuses {@code count} above {@link #MAX_COUNT} with a 400 on {@code count}. */
  public static void checkBatch(String type, int count) {
    if (count > MAX_COUNT) {
      throw new ValidationException(
          "count",
          "must be at most "
              + MAX_COUNT
              + " for sampler '"
              + type
              + "' (each suggestion of a batch maximises the expected improvement again), got "
              + count
              + ": ask in several calls");
    }
  }

  @Override
  public List<Map<String, Object>> suggest(SuggestContext context, int count) {
    checkSingleObjective(context);
    checkBatch(TYPE, context, count);
    if (context.observations().size() < options.nStartupTrials()) {
      return new SobolSampler(true).suggest(context, count);
    }
    UnitCubeEncoding encoding = context.encoding();
    InputFeatures features = new InputFeatures(encoding);
    double[][] observed = context.observedPoints();
    Conditioned data = conditioned(features, observed, context.observedLosses());
    GpHyperparameters hyper = fitHyperparameters(data.x(), data.y());
    GaussianProcess gp = GaussianProcess.fit(data.x(), data.y(), hyper);
    double best = Arrays.stream(data.y()).min().orElse(0);
    double[][] pending = context.pendingPoints();
    Set<PointKey> seen = seen(observed, pending);
    gp = withPendingFantasies(gp, hyper, data, features, pending, count);
    Search search =
        new Search(features, encoding, anchors(observed, data), context.newRandom(), seen);
    List<Map<String, Object>> out = new ArrayList<>(count);
    for (int s = 0; s < count; s++) {
      double[] u = maximiseAcquisition(gp, best, search);
      Map<String, Object> assignment = encoding.decode(u);
      double[] canonical = encoding.encode(assignment);
      seen.add(new PointKey(canonical));
      out.add(assignment);
      if (s + 1 < count) {
        double[] f = features.ofEncoded(canonical);
        gp = gp.with(f, gp.predict(f)[0]);
      }
    }
    return out;
  }

  private static void checkSingleObjective(SuggestContext context) {
    if (context.objectives().size() != 1) {
      throw new ValidationException(
          "objectives",
          "sampler 'gp' optimises one objective, got "
              + context.objectives().size()
              + ": use 'parego' (base gp) or 'motpe' for several");
    }
  }

  /**
   * The observations the posterior is conditioned on ({@link #kept}): their input features {@code
   * x}, standardised losses {@code y}, and indices {@code kept} into the observations.
   */
  private record Conditioned(double[][] x, double[] y, int[] kept) {}

  private Conditioned conditioned(InputFeatures features, double[][] observed, double[][] losses) {
    double[][] allX = new double[observed.length][];
    double[] allY = new double[observed.length];
    for (int i = 0; i < observed.length; i++) {
      allX[i] = features.ofEncoded(observed[i]);
      allY[i] = losses[i][0];
    }
    int[] kept = kept(allX, allY, options.maxObservations());
    int n = kept.length;
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int k = 0; k < n; k++) {
      x[k] = allX[kept[k]];
      y[k] = allY[kept[k]];
    }
    standardise(y);
    return new Conditioned(x, y, kept);
  }

  /** The observed and pending points, which no suggestion may repeat. */
  private static Set<PointKey> seen(double[][] observed, double[][] pending) {
    Set<PointKey> seen = new HashSet<>();
    for (double[] p : observed) {
      seen.add(new PointKey(p));
    }
    for (double[] p : pending) {
      seen.add(new PointKey(p));
    }
    return seen;
  }

  /**
   * {@code gp} refitted with the most recent pending points as fantasies at their posterior mean
   * (at most {@link #MAX_FANTASIES} {@code - (count - 1)} of them), or {@code gp} if there are
   * none.
   */
  private static GaussianProcess withPendingFantasies(
      GaussianProcess gp,
      GpHyperparameters hyper,
      Conditioned data,
      InputFeatures features,
      double[][] pending,
      int count) {
    int fantasies = Math.min(pending.length, Math.max(0, MAX_FANTASIES - (count - 1)));
    if (fantasies == 0) {
      return gp;
    }
    int n = data.x().length;
    int from = pending.length - fantasies; // the most recent pending points
    double[][] xp = Arrays.copyOf(data.x(), n + fantasies);
    double[] yp = Arrays.copyOf(data.y(), n + fantasies);
    for (int j = 0; j < fantasies; j++) {
      xp[n + j] = features.ofEncoded(pending[from + j]);
      yp[n + j] = gp.predict(xp[n + j])[0];
    }
    return GaussianProcess.fit(xp, yp, hyper);
  }

  /** Anchors for local perturbations: the best {@link #PERTURBED_ANCHORS} kept observations. */
  private static List<double[]> anchors(double[][] observed, Conditioned data) {
    double[] y = data.y();
    int n = y.length;
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> y[i]));
    List<double[]> anchors = new ArrayList<>();
    for (int a = 0; a < Math.min(PERTURBED_ANCHORS, n); a++) {
      anchors.add(observed[data.kept()[order[a]]]);
    }
    return anchors;
  }

  /**
   * The indices, ascending, of the observations the posterior is conditioned on: all of them when
   * there are at most {@code max}; else the {@code max / 2} smallest losses (ties to the earlier
   * observation) and then, one at a time, the remaining observation farthest from every one kept so
   * far (Euclidean distance of the input features; ties to the earlier observation), a greedy
   * maximin design. The good half is where expected improvement is large and holds the incumbent;
   * the spread keeps the posterior informed, everywhere in the space, of where losses are high.
   */
  static int[] kept(double[][] x, double[] y, int max) {
    int n = x.length;
    if (n <= max) {
      return java.util.stream.IntStream.range(0, n).toArray();
    }
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> y[i]));
    boolean[] take = new boolean[n];
    double[] nearest = new double[n];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    int good = max / 2;
    for (int r = 0; r < good; r++) {
      take[order[r]] = true;
      updateNearest(x, order[r], take, nearest);
    }
    for (int s = good; s < max; s++) {
      int far = -1;
      for (int j = 0; j < n; j++) {
        if (!take[j] && (far < 0 || nearest[j] > nearest[far])) {
          far = j;
        }
      }
      take[far] = true;
      updateNearest(x, far, take, nearest);
    }
    int[] out = new int[max];
    for (int i = 0, k = 0; i < n; i++) {
      if (take[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  /** Lowers {@code nearest[j]} to the squared distance from {@code x[j]} to {@code x[added]}. */
  private static void updateNearest(double[][] x, int added, boolean[] take, double[] nearest) {
    double[] a = x[added];
    for (int j = 0; j < x.length; j++) {
      if (take[j]) {
        continue;
      }
      double[] b = x[j];
      double d2 = 0;
      for (int f = 0; f < a.length; f++) {
        double t = a[f] - b[f];
        d2 += t * t;
      }
      if (d2 < nearest[j]) {
        nearest[j] = d2;
      }
    }
  }

  private GpHyperparameters fitHyperparameters(double[][] x, double[] y) {
    int n = x.length;
    if (n <= options.maxFitPoints()) {
      return HyperparameterFit.fit(x, y);
    }
    // The better half by loss, then an even spread over the rest in the order observed.
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> y[i]));
    int m = options.maxFitPoints();
    int good = m / 2;
    boolean[] take = new boolean[n];
    for (int i = 0; i < good; i++) {
      take[order[i]] = true;
    }
    int rest = m - good;
    int[] others = java.util.stream.IntStream.range(0, n).filter(i -> !take[i]).toArray();
    for (int j = 0; j < rest; j++) {
      take[others[(int) ((long) j * others.length / rest)]] = true;
    }
    double[][] xs = new double[m][];
    double[] ys = new double[m];
    for (int i = 0, k = 0; i < n; i++) {
      if (take[i]) {
        xs[k] = x[i];
        ys[k++] = y[i];
      }
    }
    standardise(ys);
    return HyperparameterFit.fit(xs, ys, 0); // one start: this path exists to bound the cost
  }

  /**
   * What stays fixed over one call's suggestions while the acquisition is maximised: {@code seen}
   * grows as each suggestion of a batch joins it, and {@code random} is the call's one stream.
   */
  private record Search(
      InputFeatures features,
      UnitCubeEncoding encoding,
      List<double[]> anchors,
      RandomGenerator random,
      Set<PointKey> seen) {}

  /** Candidate points in the order scored, and their log EI. */
  private record Scored(List<double[]> points, List<Double> scores) {}

  /** The point of the cube with the largest log EI found; avoids points already in {@code seen}. */
  private double[] maximiseAcquisition(GaussianProcess gp, double best, Search search) {
    InputFeatures features = search.features();
    List<double[]> candidates = candidates(search);
    int m = candidates.size();
    double[] score = new double[m];
    for (int c = 0; c < m; c++) {
      score[c] = logEi(gp, best, features.ofRaw(candidates.get(c)));
    }
    Integer[] order = new Integer[m];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));

    int dims = search.encoding().dimensions();
    int[] numeric = java.util.stream.IntStream.range(0, dims).filter(features::numeric).toArray();
    Scored results = new Scored(new ArrayList<>(), new ArrayList<>());
    for (int k = 0; k < Math.min(options.nLocalSearches(), m); k++) {
      double[] start = candidates.get(order[k]);
      double[] refined = refine(gp, best, features, start, numeric);
      results.points().add(refined);
      results.scores().add(logEi(gp, best, features.ofRaw(refined)));
    }
    for (int k = 0; k < m; k++) {
      results.points().add(candidates.get(order[k]));
      results.scores().add(score[order[k]]);
    }
    return bestUnseen(results, search);
  }

  /**
   * {@code nCandidates} uniform points, then {@link #PERTURBATIONS} perturbations of each anchor.
   */
  private List<double[]> candidates(Search search) {
    int dims = search.encoding().dimensions();
    RandomGenerator random = search.random();
    List<double[]> candidates = new ArrayList<>();
    for (int c = 0; c < options.nCandidates(); c++) {
      candidates.add(uniform(dims, random));
    }
    for (double[] anchor : search.anchors()) {
      for (int c = 0; c < PERTURBATIONS; c++) {
        double scale = c % 2 == 0 ? 0.02 : 0.1;
        candidates.add(perturbed(anchor, dims, scale, search.features(), random));
      }
    }
    return candidates;
  }

  private static double[] uniform(int dims, RandomGenerator random) {
    double[] u = new double[dims];
    for (int d = 0; d < dims; d++) {
      u[d] = random.nextDouble();
    }
    return u;
  }

  /**
   * {@code anchor} with Gaussian noise of {@code scale} on the numeric coordinates and, with
   * probability 0.2, a uniform redraw of each categorical one.
   */
  private static double[] perturbed(
      double[] anchor, int dims, double scale, InputFeatures features, RandomGenerator random) {
    double[] u = new double[dims];
    for (int d = 0; d < dims; d++) {
      double a = Double.isNaN(anchor[d]) ? random.nextDouble() : anchor[d];
      if (features.numeric(d)) {
        u[d] = clamp(a + scale * random.nextGaussian());
      } else {
        u[d] = random.nextDouble() < 0.2 ? random.nextDouble() : a;
      }
    }
    return u;
  }

  /** The highest-scoring point not in {@code seen}, else a fresh uniform draw. */
  private static double[] bestUnseen(Scored results, Search search) {
    List<Double> resultScores = results.scores();
    Integer[] byScore = new Integer[resultScores.size()];
    Arrays.setAll(byScore, i -> i);
    Arrays.sort(byScore, (a, b) -> Double.compare(resultScores.get(b), resultScores.get(a)));
    for (int i : byScore) {
      double[] u = results.points().get(i);
      if (!isSeen(u, search)) {
        return u;
      }
    }
    // Every scored point repeats a known configuration (a small discrete space): draw afresh.
    int dims = search.encoding().dimensions();
    double[] u = new double[dims];
    for (int retry = 0; retry < 64; retry++) {
      for (int d = 0; d < dims; d++) {
        u[d] = search.random().nextDouble();
      }
      if (!isSeen(u, search)) {
        break;
      }
    }
    return u;
  }

  private static boolean isSeen(double[] u, Search search) {
    UnitCubeEncoding encoding = search.encoding();
    return search.seen().contains(new PointKey(encoding.encode(encoding.decode(u))));
  }

  /** Local maximisation of log EI over the numeric coordinates, from {@code start}. */
  private static double[] refine(
      GaussianProcess gp, double best, InputFeatures features, double[] start, int[] numeric) {
    int k = numeric.length;
    double[] bestU = start.clone();
    double[] bestScore = {logEi(gp, best, features.ofRaw(start))};
    java.util.function.ToDoubleFunction<double[]> objective =
        z -> {
          double[] u = start.clone();
          for (int j = 0; j < k; j++) {
            u[numeric[j]] = clamp(z[j]);
          }
          double v = logEi(gp, best, features.ofRaw(u));
          if (v > bestScore[0]) {
            bestScore[0] = v;
            System.arraycopy(u, 0, bestU, 0, u.length);
          }
          return v;
        };
    try {
      if (k == 1) {
        double x0 = start[numeric[0]];
        new BrentOptimizer(1e-8, 1e-10)
            .optimize(
                new MaxEval(200),
                new UnivariateObjectiveFunction(z -> objective.applyAsDouble(new double[] {z})),
                GoalType.MAXIMIZE,
                new SearchInterval(Math.max(0, x0 - 0.1), Math.min(1, x0 + 0.1), x0));
      } else if (k >= 2) {
        double[] z0 = new double[k];
        for (int j = 0; j < k; j++) {
          z0[j] = start[numeric[j]];
        }
        double[] lo = new double[k];
        double[] hi = new double[k];
        Arrays.fill(hi, 1);
        new BOBYQAOptimizer(2 * k + 1, 0.05, 1e-6)
            .optimize(
                new MaxEval(200 + 40 * k),
                new ObjectiveFunction(objective::applyAsDouble),
                GoalType.MAXIMIZE,
                new InitialGuess(z0),
                new SimpleBounds(lo, hi));
      }
    } catch (TooManyEvaluationsException e) {
      // The best point evaluated so far is kept; a budget-limited search still improved the start.
    }
    return bestU;
  }

  static double logEi(GaussianProcess gp, double best, double[] feature) {
    double[] mv = gp.predict(feature);
    return ExpectedImprovement.logValue(mv[0], mv[1], best);
  }

  private static double clamp(double u) {
    return u < 0 ? 0 : Math.min(u, 1);
  }

  /** In place: zero mean, unit variance (a constant stays at 0). */
  static void standardise(double[] y) {
    double mean = Moments.mean(y);
    double sd = Moments.sampleStd(y, mean);
    for (int i = 0; i < y.length; i++) {
      y[i] = sd > 0 ? (y[i] - mean) / sd : y[i] - mean;
    }
  }
}
