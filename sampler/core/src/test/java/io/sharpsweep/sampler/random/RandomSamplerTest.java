package io.sharpsweep.sampler.random;

import static io.sharpsweep.sampler.Requests.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.sampler.Requests;
import io.sharpsweep.sampler.SamplerService;
import io.sharpsweep.sampler.SuggestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomSamplerTest {
  private final SamplerService service = new SamplerService();

  @Test
  void theStreamDependsOnSeedAndHistory() {
    SuggestRequest base = Requests.contract("random");
    long seed = SuggestContext.of(base).callSeed();
    SuggestRequest oneMore =
        Requests.withPending(base, List.of(Map.of("x", 0.0, "n", 1, "variant", "sgd")));
    assertThat(SuggestContext.of(oneMore).callSeed()).isNotEqualTo(seed);
    assertThat(SuggestContext.of(Requests.contract("random")).callSeed()).isEqualTo(seed);
  }

  @Test
  void floatsAreUniformOverTheirRange() {
    SearchSpace space = new SearchSpace(List.of(ParamSpec.floatParam("x", -5, 10, false)));
    double sum = 0;
    double below0 = 0;
    List<Map<String, Object>> points =
        params(service.suggest(Requests.request(space, "random", 42, 1000)));
    for (Map<String, Object> p : points) {
      double x = (Double) p.get("x");
      sum += x;
      below0 += x < 0 ? 1 : 0;
    }
    // Uniform on [-5, 10]: mean 2.5 (sd of the mean of 1000: 15/sqrt(12000) = 0.137), P(x < 0) =
    // 1/3 (sd 0.015).
    assertThat(sum / 1000).isCloseTo(2.5, within(0.6));
    assertThat(below0 / 1000).isCloseTo(1 / 3.0, within(0.065));
  }
}
