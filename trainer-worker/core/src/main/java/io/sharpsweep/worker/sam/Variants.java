package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.study.TrainingCatalog;
import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.config.Knobs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The optimizer variants this worker trains, by their catalog names. */
public final class Variants {
  private static final Map<String, Variant> BY_NAME = new LinkedHashMap<>();

  static {
    for (Variant v :
        List.of(
            Sgd.VARIANT,
            Sam.VARIANT,
            Asam.VARIANT,
            Esam.VARIANT,
            AeSam.VARIANT,
            LookSam.VARIANT,
            AeLookSam.VARIANT,
            MSam.VARIANT,
            Rst.VARIANT,
            SamK.VARIANT)) {
      BY_NAME.put(v.name(), v);
    }
  }

  private Variants() {}

  /** Every variant, in the catalog's order. */
  public static List<Variant> all() {
    return List.copyOf(BY_NAME.values());
  }

  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  public static Variant forName(String name) {
    Variant v = BY_NAME.get(name);
    if (v != null) {
      return v;
    }
    if (TrainingCatalog.VARIANTS.contains(name)) {
      throw new InvalidConfigException(
          "config.variant '"
              + name
              + "' is not available in this worker (available: "
              + names()
              + ")");
    }
    throw new InvalidConfigException(
        "config.variant '" + name + "' is unknown (known: " + TrainingCatalog.VARIANTS + ")");
  }

  /** The rule of {@code variant} with the knobs of {@code config}, seeded by {@code seed}. */
  public static StepRule create(String variant, Map<String, Object> config, long seed) {
    Knobs knobs = new Knobs(config);
    knobs.rejectUnknown();
    return forName(variant).create(knobs, seed);
  }
}
