package io.sharpsweep.sampler;

import java.util.List;
import java.util.Map;

/**
 * A search algorithm: proposes configurations from a validated request. The one extension point of
 * this module; an implementation is a pure function of its options and the {@link SuggestContext}
 * (space, objectives, observations, pending points, seed), so the same request always gets the same
 * answer.
 *
 * <p>Add one by writing the class (options read through {@link SamplerOptions} in a static factory)
 * and registering it in {@link SamplerRegistry#standard()}; the conformance suite in the tests then
 * runs on it.
 */
public interface Sampler {

  /**
   * Exactly {@code count} assignments of the context's space. Every one must pass {@link
   * io.sharpsweep.protocol.space.SearchSpace#checkAssignment}: each active parameter present with a
   * legal value (ints as {@link Long}, floats as {@link Double}, categoricals as the declared
   * choice), inactive ones absent. {@link io.sharpsweep.sampler.space.UnitCubeEncoding#decode}
   * produces such assignments.
   */
  List<Map<String, Object>> suggest(SuggestContext context, int count);

  /**
   * The most observations + pending points this sampler answers for within its time and memory
   * budget. {@link SamplerService} refuses a longer history with a 400 on {@code observations}
   * before the sampler starts; the service's own {@code sharpsweep.sampler.max-history} applies too
   * (the smaller bound wins). Unbounded by default.
   */
  default int maxHistory() {
    return Integer.MAX_VALUE;
  }
}
