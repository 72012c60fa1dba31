package io.sharpsweep.protocol.study;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import java.util.List;
import java.util.Map;

/**
 * A study as the user writes it (README.md, "A study"): the body of {@code POST /v1/studies} and
 * the file given to {@code sharpsweep study create -f}. {@code fixed} holds training settings that
 * are not searched (for example {@code batch-size: 128}); a searched parameter wins over a fixed
 * one of the same name. {@code enqueue} lists configurations of the space to try first, as the
 * first trials (they count against the budget); {@code warmStart} names a study whose completed
 * trials the sampler learns from.
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

  public long seedOrDefault() {
    return seed == null ? 0L : seed;
  }
}
