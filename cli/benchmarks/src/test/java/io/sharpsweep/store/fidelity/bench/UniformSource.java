package io.sharpsweep.store.fidelity.bench;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.protocol.suggest.Suggestion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A tiny configuration source for the benchmark's own tests: uniform floats, deterministic given
 * the seed and how much has been observed and is pending (so each call draws new points). The real
 * samplers live in the sampler module, which this module does not depend on.
 */
final class UniformSource implements Function<SuggestRequest, SuggestResponse> {
  int calls;

  @Override
  public SuggestResponse apply(SuggestRequest request) {
    calls++;
    long salt =
        1_000_003L * request.observationsOrEmpty().size()
            + 7919L * request.pendingOrEmpty().size()
            + calls;
    Random random = new Random(request.sampler().seedOrDefault() * 0x9E3779B97F4A7C15L + salt);
    List<Suggestion> out = new ArrayList<>();
    for (int i = 0; i < request.countOrDefault(); i++) {
      Map<String, Object> params = new LinkedHashMap<>();
      for (ParamSpec p : request.space().params()) {
        params.put(p.name(), p.low() + random.nextDouble() * (p.high() - p.low()));
      }
      out.add(new Suggestion(params));
    }
    return new SuggestResponse(out);
  }
}
