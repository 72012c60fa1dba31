package io.sharpsweep.protocol.study;

import java.util.Map;

/** Which sampler proposes configurations, its seed and its options ({@code {type: tpe, seed: 7}}). */
public record SamplerSpec(String type, Long seed, Map<String, Object> options) {
  public SamplerSpec {
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  public long seedOrDefault() {
    return seed == null ? 0L : seed;
  }
}
