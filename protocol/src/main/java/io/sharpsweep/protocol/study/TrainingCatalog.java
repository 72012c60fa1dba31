package io.sharpsweep.protocol.study;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names shared by the CLI, study specs and reports: datasets, models, optimizer variants, their
 * knobs, and the metrics an objective can name. One list, so a typo in a study is caught when it is
 * created, not when a worker meets it.
 */
public final class TrainingCatalog {
  public static final List<String> DATASETS =
      List.of("fashion-mnist", "cifar10", "cifar100", "synthetic");

  public static final List<String> MODELS =
      List.of("mlp", "cnn-small", "resnet18", "wrn-16-4", "wrn-16-8", "wrn-28-10");

  /** The optimizer variants ({@link KnobCatalogue#VARIANTS}). */
  public static final List<String> VARIANTS = KnobCatalogue.VARIANTS;

  /**
   * Knob name → what it is, read from {@link KnobCatalogue}, which also holds each knob's type,
   * range, default and variants.
   */
  public static final Map<String, String> KNOBS =
      Collections.unmodifiableMap(KnobCatalogue.descriptions());

  /** Metrics an objective may name ({@link MetricCatalogue}, which says how each is read). */
  public static final Set<String> METRICS = MetricCatalogue.names();

  private TrainingCatalog() {}
}
