package io.sharpsweep.sampler.random;

import io.sharpsweep.sampler.Sampler;
import io.sharpsweep.sampler.SamplerOptions;
import io.sharpsweep.sampler.SuggestContext;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Independent uniform draws in the unit cube, decoded into the space (so log-scale parameters are
 * log-uniform). The generator is seeded from the request's seed and the study's history size
 * ({@link SuggestContext#callSeed()}), so a study never gets the same stream twice and a repeated
 * request gets the same answer. Options: none.
 */
public final class RandomSampler implements Sampler {
  public static final String TYPE = "random";

  public static RandomSampler fromOptions(SamplerOptions options) {
    return new RandomSampler();
  }

  @Override
  public List<Map<String, Object>> suggest(SuggestContext context, int count) {
    UnitCubeEncoding encoding = context.encoding();
    RandomGenerator random = context.newRandom();
    List<Map<String, Object>> suggestions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      // Draw every coordinate, active or not, so one parameter's condition does not shift the
      // others' draws.
      double[] u = new double[encoding.dimensions()];
      for (int d = 0; d < u.length; d++) {
        u[d] = random.nextDouble();
      }
      suggestions.add(encoding.decode(u));
    }
    return suggestions;
  }
}
