package io.sharpsweep.sampler.tpe;

import io.sharpsweep.sampler.SamplerOptions;
import java.util.Set;

/**
 * The settings of {@link TpeSampler}, with Optuna's option names (camelCase spellings are accepted
 * too). SharpSweep's defaults differ from Optuna's where the benchmark showed a clear gain on
 * problems with known optima (see the module README): joint kernels with data-driven bandwidths, a
 * prior weight of 0.5, a magic-clip floor 1.5 times lower and good points weighted by improvement.
 *
 * @param nStartupTrials observations before the model is used (random draws until then); a
 *     conditional parameter is drawn at random until it was active in this many observations
 * @param nEiCandidates candidates drawn from {@code l(x)} per suggestion, the best {@code l/g} wins
 * @param gamma the good group is {@code min(ceil(gamma n), gammaMax)} observations
 * @param gammaMax see {@code gamma}
 * @param priorWeight weight of the prior component (a kernel over the whole range)
 * @param considerEndpoints let the outermost kernels' bandwidths reach the ends of the range
 *     (univariate bandwidths only)
 * @param considerMagicClip floor bandwidths at {@code 1/min(100, magicClipScale (n + 2))}
 * @param magicClipScale see {@code considerMagicClip}; 1 is Optuna's floor
 * @param multivariate joint kernels over the parameters that are active together, instead of one
 *     independent estimator per parameter
 * @param bandwidth {@code scott}: joint kernels' bandwidths from the spread of the points (Scott's
 *     normal-reference rule); {@code optuna}: Optuna's fixed {@code 0.2 n^(-1/(d+4))}
 * @param constantLiar pending points (running trials and earlier suggestions of the same call) join
 *     the bad group, so parallel workers get spread-out points
 * @param startup {@code random} or {@code sobol} draws before {@code nStartupTrials}
 * @param goodWeights one objective: {@code improvement} weighs each good point by how far its loss
 *     beats the best bad one; {@code uniform}: equal weights (Optuna). Several objectives always
 *     use MOTPE's hypervolume contributions
 */
public record TpeOptions(
    int nStartupTrials,
    int nEiCandidates,
    double gamma,
    int gammaMax,
    double priorWeight,
    boolean considerEndpoints,
    boolean considerMagicClip,
    double magicClipScale,
    boolean multivariate,
    String bandwidth,
    boolean constantLiar,
    String startup,
    String goodWeights) {

  /** SharpSweep's defaults for {@code tpe} and {@code motpe}. */
  public static TpeOptions defaults() {
    return new TpeOptions(
        10, 24, 0.1, 25, 0.5, false, true, 1.5, true, "scott", true, "random", "improvement");
  }

  /** Optuna's {@code TPESampler()} defaults (univariate, fixed bandwidth rules). */
  public static TpeOptions optuna() {
    return new TpeOptions(
        10, 24, 0.1, 25, 1.0, false, true, 1.0, false, "optuna", true, "random", "uniform");
  }

  /**
   * The options of a request, falling back to {@code defaults}; problems are recorded in {@code o}.
   */
  public static TpeOptions read(SamplerOptions o, TpeOptions defaults) {
    return new TpeOptions(
        o.integer("n_startup_trials", defaults.nStartupTrials(), 0, 10_000),
        o.integer("n_ei_candidates", defaults.nEiCandidates(), 1, 10_000),
        o.number("gamma", defaults.gamma(), 0.0, 1.0),
        o.integer("gamma_max", defaults.gammaMax(), 1, 10_000),
        o.number("prior_weight", defaults.priorWeight(), 1e-6, 1e6),
        o.bool("consider_endpoints", defaults.considerEndpoints()),
        o.bool("consider_magic_clip", defaults.considerMagicClip()),
        o.number("magic_clip_scale", defaults.magicClipScale(), 0.1, 100),
        o.bool("multivariate", defaults.multivariate()),
        o.choice("bandwidth", defaults.bandwidth(), Set.of("scott", "optuna")),
        o.bool("constant_liar", defaults.constantLiar()),
        o.choice("startup", defaults.startup(), Set.of("random", "sobol")),
        o.choice("good_weights", defaults.goodWeights(), Set.of("improvement", "uniform")));
  }

  /** These options with {@code multivariate} set. */
  public TpeOptions withMultivariate(boolean on) {
    return new TpeOptions(
        nStartupTrials,
        nEiCandidates,
        gamma,
        gammaMax,
        priorWeight,
        considerEndpoints,
        considerMagicClip,
        magicClipScale,
        on,
        bandwidth,
        constantLiar,
        startup,
        goodWeights);
  }

  ParzenEstimator.Settings estimatorSettings() {
    return new ParzenEstimator.Settings(
        priorWeight,
        considerMagicClip,
        magicClipScale,
        considerEndpoints,
        multivariate,
        bandwidth.equals("scott"));
  }
}
