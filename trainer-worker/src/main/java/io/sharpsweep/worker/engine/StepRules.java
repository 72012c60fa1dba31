package io.sharpsweep.worker.engine;

import io.sharpsweep.protocol.study.TrainingCatalog;
import io.sharpsweep.worker.sam.SamStep;
import io.sharpsweep.worker.sam.SgdStep;
import io.sharpsweep.worker.sam.StepRule;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The optimizer variants this worker trains: variant name → a factory reading its knobs. */
public final class StepRules {
  private static final Map<String, Function<Knobs, StepRule>> FACTORIES = new TreeMap<>();

  static {
    FACTORIES.put("sgd", knobs -> new SgdStep());
    FACTORIES.put("sam", knobs -> new SamStep(knobs.number("rho", 0.05, 0, true, 10)));
  }

  private StepRules() {}

  public static java.util.Set<String> available() {
    return FACTORIES.keySet();
  }

  /** Checks that {@code variant} can be trained, without building anything. */
  public static void requireAvailable(String variant) {
    if (FACTORIES.containsKey(variant)) {
      return;
    }
    if (TrainingCatalog.VARIANTS.contains(variant)) {
      throw new InvalidConfigException(
          "config.variant '"
              + variant
              + "' is not available in this worker yet (available: "
              + available()
              + ")");
    }
    throw new InvalidConfigException(
        "config.variant '" + variant + "' is unknown (known: " + TrainingCatalog.VARIANTS + ")");
  }

  public static StepRule create(String variant, Map<String, Object> config) {
    requireAvailable(variant);
    return FACTORIES.get(variant).apply(new Knobs(config));
  }
}
