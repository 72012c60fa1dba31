package io.sharpsweep.sampler.tpe;

import io.sharpsweep.sampler.Sampler;
import io.sharpsweep.sampler.SamplerOptions;
import io.sharpsweep.sampler.SuggestContext;
import io.sharpsweep.sampler.qmc.SobolSampler;
import io.sharpsweep.sampler.random.RandomSampler;
import io.sharpsweep.sampler.space.PointKey;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio and Kégl, NeurIPS 2011): the
 * observations are split into a good group and the rest ({@link ObservationSplit}), one {@link
 * ParzenEstimator} is fitted to each, {@code l(x)} and {@code g(x)}, and of {@code nEiCandidates}
 * draws from {@code l} the one with the largest {@code l(x)/g(x)} (which maximises expected
 * improvement under the TPE model, ibid. eq. 4) is suggested. With several objectives the split is
 * MOTPE's (Ozaki et al., GECCO 2020), so {@code motpe} is this class too.
 *
 * <p>Conditional parameters: dimensions are grouped by the set of observations in which they were
 * active (parameters of one branch of the space fall in one group); each group is modelled only
 * from its own observations, split by their own losses, and stays random until it has {@code
 * nStartupTrials} of them. {@code multivariate} fits one joint estimator per group (Optuna's {@code
 * multivariate=True, group=True}); otherwise every dimension has its own.
 *
 * <p>Parallel suggestions: with {@code constantLiar} the pending points, and the earlier
 * suggestions of the same call, join the bad group, so that {@code g(x)} is high around them and
 * the next suggestion goes elsewhere (Optuna's {@code constant_liar}). A suggestion that decodes to
 * an assignment already observed, pending or suggested (possible when ints and categoricals are
 * few) is replaced by a fresh random draw.
 *
 * <p>Everything random is drawn from {@link SuggestContext#newRandom()}, so a request always gets
 * the same answer. For BOHB, pass the observations of one rung in a {@link SuggestContext} to
 * {@link #suggest}: no HTTP and no service needed.
 */
public final class TpeSampler implements Sampler {
  public static final String TYPE = "tpe";
  public static final String MOTPE_TYPE = "motpe";

  private static final int DUPLICATE_RETRIES = 64;

  private final TpeOptions options;

  public TpeSampler(TpeOptions options) {
    this.options = options;
  }

  public static TpeSampler fromOptions(SamplerOptions o) {
    return new TpeSampler(TpeOptions.read(o, TpeOptions.defaults()));
  }

  public TpeOptions options() {
    return options;
  }

  @Override
  public List<Map<String, Object>> suggest(SuggestContext context, int count) {
    if (context.observations().size() < options.nStartupTrials()) {
      return options.startup().equals("sobol")
          ? new SobolSampler(true).suggest(context, count)
          : new RandomSampler().suggest(context, count);
    }
    UnitCubeEncoding encoding = context.encoding();
    int dims = encoding.dimensions();
    Axis[] axes = new Axis[dims];
    for (int d = 0; d < dims; d++) {
      axes[d] = Axis.of(encoding.encoding(d));
    }
    double[][] observed = context.observedPoints();
    double[][] losses = context.observedLosses();
    double[][] running = context.pendingPoints();
    Set<PointKey> seen = new HashSet<>();
    for (double[] p : observed) {
      seen.add(new PointKey(p));
    }
    for (double[] p : running) {
      seen.add(new PointKey(p));
    }
    // The points the bad group "lies" about: without the constant liar, none.
    List<double[]> pending =
        options.constantLiar() ? new ArrayList<>(Arrays.asList(running)) : new ArrayList<>();
    List<Group> groups = groups(observed, losses, dims);
    RandomGenerator random = context.newRandom();
    List<Map<String, Object>> out = new ArrayList<>(count);
    for (int s = 0; s < count; s++) {
      double[] u = new double[dims];
      for (Group g : groups) {
        if (options.multivariate()) {
          sampleGroup(g, g.dims, axes, observed, pending, random, u);
        } else {
          for (int d : g.dims) {
            sampleGroup(g, new int[] {d}, axes, observed, pending, random, u);
          }
        }
      }
      Map<String, Object> assignment = encoding.decode(u);
      double[] canonical = encoding.encode(assignment);
      for (int retry = 0;
          retry < DUPLICATE_RETRIES && seen.contains(new PointKey(canonical));
          retry++) {
        for (int d = 0; d < dims; d++) {
          u[d] = random.nextDouble();
        }
        assignment = encoding.decode(u);
        canonical = encoding.encode(assignment);
      }
      seen.add(new PointKey(canonical));
      if (options.constantLiar()) {
        pending.add(canonical);
      }
      out.add(assignment);
    }
    return out;
  }

  /**
   * Draws the coordinates {@code dims} (all of group {@code g}) of {@code u} from the TPE of the
   * group's observations.
   */
  private void sampleGroup(
      Group g,
      int[] dims,
      Axis[] axes,
      double[][] observed,
      List<double[]> pending,
      RandomGenerator random,
      double[] u) {
    Axis[] groupAxes = new Axis[dims.length];
    for (int j = 0; j < dims.length; j++) {
      groupAxes[j] = axes[dims[j]];
    }
    if (g.members.length < options.nStartupTrials()) {
      for (int j = 0; j < dims.length; j++) {
        u[dims[j]] = groupAxes[j].snap(random.nextDouble());
      }
      return;
    }
    int nGood = g.goodCount();
    double[][] goodPoints = new double[nGood][];
    List<double[]> badPoints = new ArrayList<>(g.members.length - nGood + pending.size());
    for (int m = 0, k = 0; m < g.members.length; m++) {
      double[] p = project(observed[g.members[m]], dims);
      if (g.good[m]) {
        goodPoints[k++] = p;
      } else {
        badPoints.add(p);
      }
    }
    for (double[] p : pending) {
      double[] q = project(p, dims);
      if (allActive(q)) {
        badPoints.add(q);
      }
    }
    ParzenEstimator.Settings settings = options.estimatorSettings();
    ParzenEstimator below = ParzenEstimator.fit(goodPoints, g.goodWeights, groupAxes, settings);
    ParzenEstimator above =
        ParzenEstimator.fit(
            badPoints.toArray(new double[0][]),
            ObservationSplit.recencyWeights(badPoints.size()),
            groupAxes,
            settings);
    double[][] candidates = below.sample(random, options.nEiCandidates());
    double[] l = below.logDensity(candidates);
    double[] gx = above.logDensity(candidates);
    int best = 0;
    for (int c = 1; c < candidates.length; c++) {
      if (l[c] - gx[c] > l[best] - gx[best]) {
        best = c;
      }
    }
    for (int j = 0; j < dims.length; j++) {
      u[dims[j]] = candidates[best][j];
    }
  }

  private static double[] project(double[] p, int[] dims) {
    double[] q = new double[dims.length];
    for (int j = 0; j < dims.length; j++) {
      q[j] = p[dims[j]];
    }
    return q;
  }

  private static boolean allActive(double[] q) {
    for (double v : q) {
      if (Double.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The dimensions grouped by the observations in which they are active, each group with its split.
   */
  private List<Group> groups(double[][] observed, double[][] losses, int dims) {
    Map<BitSet, List<Integer>> bySignature = new LinkedHashMap<>();
    for (int d = 0; d < dims; d++) {
      BitSet active = new BitSet(observed.length);
      for (int i = 0; i < observed.length; i++) {
        if (!Double.isNaN(observed[i][d])) {
          active.set(i);
        }
      }
      bySignature.computeIfAbsent(active, k -> new ArrayList<>()).add(d);
    }
    List<Group> groups = new ArrayList<>(bySignature.size());
    for (Map.Entry<BitSet, List<Integer>> e : bySignature.entrySet()) {
      int[] members = e.getKey().stream().toArray();
      int[] groupDims = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      double[][] groupLosses = new double[members.length][];
      for (int m = 0; m < members.length; m++) {
        groupLosses[m] = losses[members[m]];
      }
      int nGood = ObservationSplit.goodCount(members.length, options.gamma(), options.gammaMax());
      boolean[] good =
          members.length == 0 ? new boolean[0] : ObservationSplit.good(groupLosses, nGood);
      List<double[]> goodLosses = new ArrayList<>();
      double threshold = Double.POSITIVE_INFINITY;
      for (int m = 0; m < members.length; m++) {
        if (good[m]) {
          goodLosses.add(groupLosses[m]);
        } else if (groupLosses[m].length == 1) {
          threshold = Math.min(threshold, groupLosses[m][0]);
        }
      }
      double[] goodWeights;
      if (goodLosses.isEmpty() || goodLosses.get(0).length > 1) {
        goodWeights = ObservationSplit.contributionWeights(goodLosses.toArray(new double[0][]));
      } else if (options.goodWeights().equals("improvement")) {
        // With equal weights l(x)/g(x) ranks candidates by the chance of beating the split (a
        // probability of improvement), and the good point that barely made the split gets as
        // many draws as the best one. Weighting each good point by how far it beats the split
        // makes the ratio follow the expected improvement instead (Song et al., "A general
        // recipe for likelihood-free Bayesian optimization", ICML 2022); it is the one-objective
        // counterpart of MOTPE's hypervolume contributions. It matters most early in a study in
        // several dimensions: the few joint kernels of l then sit in different basins, and the
        // draws should go mostly to the best basin rather than be split evenly between them.
        double[] y = new double[goodLosses.size()];
        for (int k = 0; k < y.length; k++) {
          y[k] = goodLosses.get(k)[0];
        }
        goodWeights = ObservationSplit.improvementWeights(y, threshold);
      } else {
        goodWeights = ObservationSplit.recencyWeights(goodLosses.size());
      }
      groups.add(new Group(groupDims, members, good, goodWeights));
    }
    return groups;
  }

  /** Dimensions active in exactly the observations {@code members}, and their good/bad split. */
  private record Group(int[] dims, int[] members, boolean[] good, double[] goodWeights) {
    int goodCount() {
      return goodWeights.length;
    }
  }
}
