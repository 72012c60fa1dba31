package io.sharpsweep.protocol.study;

import java.util.Map;

/** Which sampler proposes configurations, its seed and its options ({@code {type: tpe, seed: 7}}). */
public record SamplerSpec(String type, Long seed, Map<String, Object> options) {
  public SamplerSpec {
    // not Map.copyOf: a null option value must reach the sampler's option check, which names it
    options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
  }

  public long seedOrDefault() {
    return seed == null ? 0L : seed;
  }
}
