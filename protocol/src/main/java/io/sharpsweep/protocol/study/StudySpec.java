package io.sharpsweep.protocol.study;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.protocol.knobs.PaperPreset;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A study as the user writes it (README.md "A study"): the body of {@code POST /v1/studies} and the
 * file given to {@code sharpsweep study create -f}. {@code fixed} holds training settings that are
 * not searched (for example {@code batch-size: 128}); a searched parameter wins over a fixed one of
 * the same name. {@code enqueue} lists configurations of the space to try first, as the first
 * trials (they count against the budget); an item {@code {preset: papers}} stands for the preset's
 * configurations ({@link PaperPreset}) at its place in the list. {@code warmStart} names a study
 * whose completed trials the sampler learns from.
 */
public record StudySpec(
    String name,
    DatasetSpec dataset,
    String model,
    List<Objective> objectives,
    List<ParamSpec> space,
    Map<String, Object> fixed,
    SamplerSpec sampler,
    SchedulerSpec scheduler,
    Budget budget,
    Long seed,
    List<Map<String, Object>> enqueue,
    WarmStart warmStart) {

  public StudySpec(
      String name,
      DatasetSpec dataset,
      String model,
      List<Objective> objectives,
      List<ParamSpec> space,
      Map<String, Object> fixed,
      SamplerSpec sampler,
      SchedulerSpec scheduler,
      Budget budget,
      Long seed) {
    this(
        name,
        dataset,
        model,
        objectives,
        space,
        fixed,
        sampler,
        scheduler,
        budget,
        seed,
        null,
        null);
  }

  public SearchSpace searchSpace() {
    return new SearchSpace(space);
  }

  public Map<String, Object> fixedOrEmpty() {
    return fixed == null ? Map.of() : fixed;
  }

  /** This spec with another budget (an extension). */
  public StudySpec withBudget(Budget other) {
    return new StudySpec(
        name,
        dataset,
        model,
        objectives,
        space,
        fixed,
        sampler,
        scheduler,
        other,
        seed,
        enqueue,
        warmStart);
  }

  /** The key of an {@code enqueue} item that names a preset instead of being a configuration. */
  public static final String PRESET_KEY = "preset";

  /**
   * The name of the preset that {@code item} of {@code enqueue} stands for, or empty when it is a
   * configuration: an item whose only key is {@code preset}, in a space with no parameter of that
   * name.
   */
  public Optional<Object> presetOf(Map<String, Object> item) {
    if (item != null
        && item.size() == 1
        && item.containsKey(PRESET_KEY)
        && (space == null || space.stream().noneMatch(p -> PRESET_KEY.equals(p.name())))) {
      return Optional.ofNullable(item.get(PRESET_KEY));
    }
    return Optional.empty();
  }

  /**
   * The preset {@code papers} for this study: each variant of the space at its papers' defaults
   * (the fixed {@code variant}'s alone when the space has none).
   */
  public List<Map<String, Object>> paperPreset() {
    Object variant = fixedOrEmpty().get(KnobCatalogue.VARIANT.name());
    return PaperPreset.configurations(searchSpace(), variant instanceof String v ? v : null);
  }

  /**
   * The configurations to try first, in order: {@code enqueue} with each preset item replaced by
   * its configurations. Call it on a validated spec (an unknown preset is a validation error).
   */
  public List<Map<String, Object>> enqueuedConfigurations() {
    if (enqueue == null) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> item : enqueue) {
      Optional<Object> preset = presetOf(item);
      if (preset.isEmpty()) {
        out.add(item);
      } else if (PaperPreset.NAME.equals(preset.get())) {
        out.addAll(paperPreset());
      } else {
        throw new IllegalArgumentException("unknown preset '" + preset.get() + "'");
      }
    }
    return out;
  }

  public long seedOrDefault() {
    return seed == null ? 0L : seed;
  }
}
