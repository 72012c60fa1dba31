package io.sharpsweep.store.analysis;

import io.sharpsweep.protocol.api.ParamImportance;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.ParamType;
import io.sharpsweep.protocol.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter importances of a study's trials by {@link FunctionalAnova}, on the study's search
 * space: float and int parameters as numbers within their bounds (log-scale ones by their
 * logarithm, int ones widened by half a step on each side, as Optuna does), categorical ones as
 * their choice's index in categorical splits.
 *
 * <p>Conditional parameters: like Optuna, the parameters every trial sets are ranked together over
 * every trial (Optuna's default: the intersection of the trials' search spaces). Unlike Optuna,
 * which leaves the others out, each conditional parameter is then ranked over the trials that set
 * it, among the parameters all of those trials set: {@code rho} over the SAM-family trials, next to
 * {@code lr} and {@code variant}. An absent parameter is never imputed, so it cannot take the
 * credit of the parent that switched it off.
 */
public final class ImportanceAnalysis {
  /** Fewer trials than this in a scope give no importance: a tree of 2–4 points is noise. */
  public static final int MIN_TRIALS = 5;

  /** A categorical split is a set of choices held in one {@code long}. */
  public static final int MAX_CHOICES = 64;

  /** A trial's parameters and its objective value (finite). */
  public record Observation(Map<String, Object> params, double value) {}

  private ImportanceAnalysis() {}

  /**
   * Importances of every parameter of {@code space}, the most important first (unconditional ones
   * before conditional ones). Observations whose parameter values lie outside the space are ignored
   * for the parameters they break.
   */
  public static List<ParamImportance> evaluate(
      SearchSpace space,
      List<Observation> observations,
      long seed,
      FunctionalAnova.Settings settings) {
    List<ParamSpec> params = new ArrayList<>();
    List<ParamImportance> unsupported = new ArrayList<>();
    for (ParamSpec p : space.params() == null ? List.<ParamSpec>of() : space.params()) {
      if (p.type() == ParamType.CATEGORICAL && p.choices().size() > MAX_CHOICES) {
        unsupported.add(
            new ParamImportance(
                p.name(),
                null,
                null,
                0,
                p.hasCondition() ? p.when() : null,
                "has more than " + MAX_CHOICES + " choices: not analysed"));
      } else {
        params.add(p);
      }
    }
    List<ParamSpec> everywhere = new ArrayList<>();
    List<ParamSpec> sometimes = new ArrayList<>();
    for (ParamSpec p : params) {
      boolean all = observations.stream().allMatch(o -> p.accepts(o.params().get(p.name())));
      (all ? everywhere : sometimes).add(p);
    }
    List<ParamImportance> out = new ArrayList<>();
    Map<String, double[]> top = scope(everywhere, observations, seed, settings);
    for (ParamSpec p : everywhere) {
      out.add(entry(p, top.get(p.name()), observations.size(), null));
    }
    out.sort(
        Comparator.comparing(
            (ParamImportance e) -> e.importance() == null ? -1.0 : e.importance(),
            Comparator.reverseOrder()));
    List<ParamImportance> conditional = new ArrayList<>();
    for (ParamSpec p : sometimes) {
      List<Observation> setting =
          observations.stream().filter(o -> p.accepts(o.params().get(p.name()))).toList();
      List<ParamSpec> present =
          params.stream()
              .filter(q -> setting.stream().allMatch(o -> q.accepts(o.params().get(q.name()))))
              .toList();
      Map<String, double[]> within =
          setting.isEmpty() ? Map.of() : scope(present, setting, seed, settings);
      conditional.add(
          entry(p, within.get(p.name()), setting.size(), p.hasCondition() ? p.when() : Map.of()));
    }
    conditional.sort(
        Comparator.comparing(
            (ParamImportance e) -> e.importance() == null ? -1.0 : e.importance(),
            Comparator.reverseOrder()));
    out.addAll(conditional);
    out.addAll(unsupported);
    return out;
  }

  private static ParamImportance entry(
      ParamSpec p, double[] value, int trials, Map<String, List<Object>> condition) {
    if (value == null) {
      return new ParamImportance(
          p.name(),
          null,
          null,
          trials,
          condition,
          trials < MIN_TRIALS
              ? "needs at least " + MIN_TRIALS + " trials that set it, got " + trials
              : "the objective does not vary over these trials");
    }
    return new ParamImportance(p.name(), value[0], value[1], trials, condition, null);
  }

  /** Per parameter name: {importance, std}, or an empty map when the scope is too small. */
  private static Map<String, double[]> scope(
      List<ParamSpec> params,
      List<Observation> observations,
      long seed,
      FunctionalAnova.Settings settings) {
    Map<String, double[]> out = new LinkedHashMap<>();
    if (observations.size() < MIN_TRIALS || params.isEmpty()) {
      return out;
    }
    List<Feature> features = params.stream().map(ImportanceAnalysis::feature).toList();
    double[][] x = new double[observations.size()][params.size()];
    double[] y = new double[observations.size()];
    for (int i = 0; i < observations.size(); i++) {
      Observation o = observations.get(i);
      y[i] = o.value();
      for (int f = 0; f < params.size(); f++) {
        x[i][f] = encode(params.get(f), features.get(f), o.params().get(params.get(f).name()));
      }
    }
    FunctionalAnova.Result r = FunctionalAnova.evaluate(features, x, y, seed, settings);
    if (java.util.Arrays.stream(r.fraction()).sum() <= 0) {
      return out;
    }
    for (int f = 0; f < params.size(); f++) {
      out.put(params.get(f).name(), new double[] {r.importance()[f], r.std()[f]});
    }
    return out;
  }

  static Feature feature(ParamSpec p) {
    if (p.type() == ParamType.CATEGORICAL) {
      return Feature.categorical(p.name(), p.choices().size());
    }
    double low = p.low();
    double high = p.high();
    if (p.type() == ParamType.INT) {
      low -= 0.5;
      high += 0.5;
    }
    if (p.logScale()) {
      low = Math.log(low);
      high = Math.log(high);
    }
    return Feature.numeric(p.name(), low, high);
  }

  static double encode(ParamSpec p, Feature f, Object value) {
    if (p.type() == ParamType.CATEGORICAL) {
      return p.indexOfChoice(value);
    }
    double v = ((Number) value).doubleValue();
    if (p.logScale()) {
      v = Math.log(v);
    }
    return Math.max(f.low(), Math.min(f.high(), v));
  }
}
