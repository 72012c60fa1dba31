package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.Knob;
import io.sharpsweep.worker.config.Knobs;
import java.util.List;

/**
 * An optimizer variant by its catalog name: the knobs it reads (beyond the shared {@code lr},
 * {@code momentum}, {@code weight-decay}, {@code nesterov}, {@code batch-size}), as entries of
 * {@code KnobCatalogue}, and how it builds its step rule from a trial configuration and the trial
 * seed (for its random streams).
 */
public record Variant(String name, List<Knob> knobs, Factory factory) {

  /** Builds the rule; a knob outside its rule is an {@code InvalidConfigException}. */
  @FunctionalInterface
  public interface Factory {
    StepRule create(Knobs knobs, long seed);
  }

  public StepRule create(Knobs knobs, long seed) {
    return factory.create(knobs, seed);
  }
}
