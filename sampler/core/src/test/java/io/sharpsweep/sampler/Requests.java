package io.sharpsweep.sampler;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.protocol.suggest.Suggestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests and spaces shared by the sampler tests. */
public final class Requests {
  /** The example of the REST contract in sampler/README.md, verbatim. */
  public static final String CONTRACT = SuggestRequest.EXAMPLE;

  public static final List<Objective> ACCURACY =
      List.of(new Objective("val_accuracy", Goal.MAXIMIZE));

  private Requests() {}

  public static SuggestRequest contract(String samplerType) {
    return Json.decode(
        CONTRACT.replace("\"type\": \"random\"", "\"type\": \"" + samplerType + "\""),
        SuggestRequest.class);
  }

  /**
   * Every kind of parameter: linear and log floats and ints, a categorical of mixed choices, a
   * condition.
   */
  public static SearchSpace everyKind() {
    return new SearchSpace(
        List.of(
            ParamSpec.floatParam("lr", 1e-4, 1, true),
            ParamSpec.floatParam("x", -5, 10, false),
            ParamSpec.intParam("n", 1, 8, false),
            ParamSpec.intParam("batch", 16, 512, true),
            ParamSpec.categorical("variant", List.of("sgd", "sam", "esam", 3, 0.5, true)),
            ParamSpec.floatParam("beta", 0.3, 1, false).when(Map.of("variant", List.of("esam"))),
            ParamSpec.intParam("k", 2, 10, false).when(Map.of("variant", List.of(3, true)))));
  }

  /** a → b → c: b exists when a = y, c when b = q. */
  public static SearchSpace chain() {
    return new SearchSpace(
        List.of(
            ParamSpec.floatParam("c", 0, 1, false).when(Map.of("b", List.of("q"))),
            ParamSpec.categorical("b", List.of("p", "q")).when(Map.of("a", List.of("y"))),
            ParamSpec.categorical("a", List.of("x", "y"))));
  }

  public static SuggestRequest request(SearchSpace space, String type, long seed, int count) {
    return new SuggestRequest(
        space, ACCURACY, new SamplerSpec(type, seed, Map.of()), List.of(), List.of(), count);
  }

  public static SuggestRequest withPending(SuggestRequest r, List<Map<String, Object>> pending) {
    List<Pending> all = new ArrayList<>(r.pendingOrEmpty());
    pending.forEach(p -> all.add(new Pending(p)));
    return new SuggestRequest(
        r.space(), r.objectives(), r.sampler(), r.observations(), all, r.count());
  }

  public static SuggestRequest withObservation(
      SuggestRequest r, Map<String, Object> params, double value) {
    List<Observation> all = new ArrayList<>(r.observationsOrEmpty());
    all.add(new Observation(params, List.of(value)));
    return new SuggestRequest(r.space(), r.objectives(), r.sampler(), all, r.pending(), r.count());
  }

  /**
   * A request with {@code observations} random configurations of {@code space} already evaluated (a
   * smooth function of the parameters, the same for every seed), so that model-based samplers are
   * past their startup trials and use their model.
   */
  public static SuggestRequest withHistory(
      SearchSpace space, String type, long seed, int observations, int count) {
    io.sharpsweep.sampler.space.UnitCubeEncoding encoding =
        new io.sharpsweep.sampler.space.UnitCubeEncoding(space);
    org.apache.commons.math3.random.RandomGenerator random =
        new org.apache.commons.math3.random.Well19937c(12345);
    List<Observation> history = new ArrayList<>();
    for (int i = 0; i < observations; i++) {
      double[] u = new double[encoding.dimensions()];
      double target = 0;
      for (int d = 0; d < u.length; d++) {
        u[d] = random.nextDouble();
        target += (u[d] - 0.3) * (u[d] - 0.3);
      }
      history.add(new Observation(encoding.decode(u), List.of(1 - target)));
    }
    return new SuggestRequest(
        space, ACCURACY, new SamplerSpec(type, seed, Map.of()), history, List.of(), count);
  }

  public static List<Map<String, Object>> params(SuggestResponse response) {
    return response.suggestions().stream().map(Suggestion::params).toList();
  }
}
