package io.sharpsweep.protocol.study;

import java.util.Map;

/**
 * Which sampler proposes configurations, its seed and its options ({@code {type: tpe, seed: 7}}).
 */
public record SamplerSpec(String type, Long seed, Map<String, Object> options) {
  public SamplerSpec {
    // not Map.copyOf: a null option value must reach the sampler's option check, which names it
    options =
        options == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
  }

  public long seedOrDefault() {
    return seed == null ? 0L : seed;
  }

  /**
   * This spec with its seed keyed by {@code call} (for instance the number of configurations
   * created so far). Samplers draw from (seed, observations + pending); a multi-fidelity study
   * feeds them one rung's observations, whose count drops when the rung moves up, so its requests
   * could repeat that size and replay old draws. Keying the seed by a counter that only grows keeps
   * every request distinct and still deterministic.
   */
  public SamplerSpec reseeded(long call) {
    return new SamplerSpec(type, seedOrDefault() * 0x9E3779B97F4A7C15L + call, options);
  }
}
