package io.sharpsweep.protocol.knobs;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.ParamType;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.space.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The preset {@code papers}: for each variant a study's space includes, one configuration with the
 * knobs at the defaults of {@link KnobCatalogue} (the papers' settings: SAM ρ 0.05, ESAM β 0.6 γ
 * 0.5, LookSAM k 5 α 0.7, AE-SAM δ 0.9 λ1 -1 λ2 1, …), so that a sweep tries the published points
 * first.
 *
 * <p>Each active parameter of the space gets its knob's default for the variant; a default outside
 * the space's range is moved to the nearest bound (an integer rounded), one not among a categorical
 * parameter's choices becomes its first choice, and a parameter that is no knob takes the middle of
 * its range (the geometric middle on a log scale) or its first choice. Configurations that come out
 * the same are given once.
 */
public final class PaperPreset {
  public static final String NAME = "papers";

  private PaperPreset() {}

  /**
   * The configurations, in the order of the space's variant choices; one when the space has no
   * {@code variant} (the variant is fixed or the default).
   *
   * @param fixedVariant the study's fixed {@code variant}, or null
   */
  public static List<Map<String, Object>> configurations(SearchSpace space, String fixedVariant) {
    ParamSpec variantParam = space.param(KnobCatalogue.VARIANT.name());
    List<Object> variants = new ArrayList<>();
    if (variantParam != null && variantParam.type() == ParamType.CATEGORICAL) {
      variants.addAll(variantParam.choices());
    } else {
      variants.add(fixedVariant != null ? fixedVariant : KnobCatalogue.VARIANT.defaultValue());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object v : variants) {
      Map<String, Object> config = configuration(space, variantParam, v);
      if (out.stream().noneMatch(c -> same(c, config))
          && space.checkAssignment(config, "").isEmpty()) {
        out.add(config);
      }
    }
    return out;
  }

  private static Map<String, Object> configuration(
      SearchSpace space, ParamSpec variantParam, Object variant) {
    Map<String, Object> config = new LinkedHashMap<>();
    String name = variant instanceof String s ? s : null;
    for (ParamSpec p : space.topologicalOrder()) {
      if (p == variantParam) {
        config.put(p.name(), variant);
      } else if (space.isActive(p, config)) {
        Object preferred = KnobCatalogue.find(p.name()).map(k -> k.defaultFor(name)).orElse(null);
        config.put(p.name(), fit(p, preferred));
      }
    }
    return config;
  }

  /** {@code preferred} moved into {@code p}'s domain, or the middle of it when null. */
  static Object fit(ParamSpec p, Object preferred) {
    if (p.type() == ParamType.CATEGORICAL) {
      for (Object c : p.choices()) {
        if (preferred != null && Values.same(c, preferred)) {
          return c;
        }
      }
      return p.choices().get(0);
    }
    double x;
    if (preferred instanceof Number n) {
      x = Math.max(p.low(), Math.min(p.high(), n.doubleValue()));
    } else {
      x = p.logScale() ? Math.sqrt(p.low() * p.high()) : (p.low() + p.high()) / 2;
    }
    if (p.type() == ParamType.INT) {
      return Math.max(p.low().longValue(), Math.min(p.high().longValue(), Math.round(x)));
    }
    return x;
  }

  private static boolean same(Map<String, Object> a, Map<String, Object> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    return a.entrySet().stream().allMatch(e -> Values.same(e.getValue(), b.get(e.getKey())));
  }
}
