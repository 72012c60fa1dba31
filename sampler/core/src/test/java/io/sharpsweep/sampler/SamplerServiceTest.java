package io.sharpsweep.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerServiceTest {
  private final SamplerService service = new SamplerService();

  private static List<String> fieldsOf(Runnable call) {
    try {
      call.run();
    } catch (ValidationException e) {
      return e.errors().stream().map(FieldError::field).toList();
    }
    throw new AssertionError("expected a ValidationException");
  }

  private List<String> fieldsOf(String json) {
    return fieldsOf(() -> service.suggest(Json.decode(json, SuggestRequest.class)));
  }

  @Test
  void theContractExampleIsAnswered() {
    SuggestResponse response = service.suggest(Requests.contract("random"));
    assertThat(response.suggestions()).hasSize(2);
    assertThat(Json.encodeToString(response)).startsWith("{\"suggestions\":[{\"params\":{\"x\":");
  }

  @Test
  void everyBrokenRuleIsReportedWithItsField() {
    String c = Requests.CONTRACT;
    assertThat(fieldsOf(c.replace("\"low\": -5, \"high\": 10", "\"low\": 11, \"high\": 10")))
        .containsExactly("space.params[0].low");
    assertThat(
            fieldsOf(
                c.replace(
                    "\"low\": -5, \"high\": 10, \"log\": false",
                    "\"low\": 0, \"high\": 10, \"log\": true")))
        .containsExactly("space.params[0].low");
    assertThat(fieldsOf(c.replace("{\"variant\": [\"esam\"]}", "{\"optimizer\": [\"esam\"]}")))
        .containsExactly("space.params[3].when.optimizer");
    assertThat(fieldsOf(c.replace("\"x\": 1.5", "\"x\": 11.5")))
        .containsExactly("observations[0].params.x");
    assertThat(fieldsOf(c.replace("[0.91]", "[null]")))
        .containsExactly("observations[0].values[0]");
    assertThat(fieldsOf(c.replace("\"type\": \"random\"", "\"type\": \"tpe2\"")))
        .containsExactly("sampler.type");
    assertThat(fieldsOf(c.replace("\"count\": 2", "\"count\": 0"))).containsExactly("count");
    assertThat(fieldsOf(c.replace("\"options\": {}", "\"options\": {\"n\": 3}")))
        .containsExactly("sampler.options.n");
    assertThat(fieldsOf(() -> service.suggest(null))).containsExactly("body");
  }

  @Test
  void spaceAndSamplerErrorsAreReportedTogether() {
    String json =
        Requests.CONTRACT
            .replace("\"low\": -5, \"high\": 10", "\"low\": 11, \"high\": 10")
            .replace("\"type\": \"random\"", "\"type\": \"nope\"");
    assertThat(fieldsOf(json)).containsExactly("space.params[0].low", "sampler.type");
    ValidationException e = (ValidationException) catchThrowable(json);
    assertThat(e.errors().get(1).message())
        .isEqualTo("unknown sampler 'nope': one of [gp, motpe, parego, random, sobol, tpe]");
  }

  private Throwable catchThrowable(String json) {
    try {
      service.suggest(Json.decode(json, SuggestRequest.class));
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Test
  void tooLongAHistoryIsRefused() {
    SamplerService small = new SamplerService(SamplerRegistry.standard(), 1);
    assertThat(fieldsOf(() -> small.suggest(Requests.contract("random"))))
        .containsExactly("observations");
  }

  /** A sampler that answers for at most {@code cap} points and counts its calls. */
  private static final class Capped implements Sampler {
    final int cap;
    int calls;

    Capped(int cap) {
      this.cap = cap;
    }

    @Override
    public int maxHistory() {
      return cap;
    }

    @Override
    public List<Map<String, Object>> suggest(SuggestContext context, int count) {
      calls++;
      return java.util.Collections.nCopies(count, Map.of("x", 1.0, "n", 1L, "variant", "sgd"));
    }
  }

  private static SuggestRequest asType(SuggestRequest r, String type) {
    return new SuggestRequest(
        r.space(),
        r.objectives(),
        new SamplerSpec(type, 1L, Map.of()),
        r.observations(),
        r.pending(),
        r.count());
  }

  @Test
  void aSamplersOwnHistoryCapIsEnforcedBeforeItRuns() {
    Capped capped = new Capped(2); // the contract has 1 observation + 1 pending
    SamplerService withCap =
        new SamplerService(new SamplerRegistry().register("capped", options -> capped), 100);
    assertThat(withCap.suggest(asType(Requests.contract("random"), "capped")).suggestions())
        .hasSize(2);
    assertThat(capped.calls).isEqualTo(1);

    Capped tight = new Capped(1);
    SamplerService over =
        new SamplerService(new SamplerRegistry().register("capped", options -> tight), 100);
    assertThatThrownBy(() -> over.suggest(asType(Requests.contract("random"), "capped")))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        err -> {
                          assertThat(err.field()).isEqualTo("observations");
                          assertThat(err.message())
                              .contains("2 points", "than the 1 sampler 'capped' accepts");
                        }));
    assertThat(tight.calls).isZero();

    // the service's bound wins when it is the smaller one, and says which key sets it
    SamplerService small =
        new SamplerService(new SamplerRegistry().register("capped", options -> new Capped(5)), 1);
    assertThatThrownBy(() -> small.suggest(asType(Requests.contract("random"), "capped")))
        .hasMessageContaining("observations: observations + pending hold 2 points")
        .hasMessageContaining("sharpsweep.sampler.max-history");
  }

  @Test
  void everyStandardSamplerTakesTheServicesBoundAndTheGpCapsWhatItFits() {
    SamplerRegistry registry = SamplerRegistry.standard();
    for (String type : List.of("random", "sobol", "tpe", "motpe", "gp", "parego")) {
      assertThat(registry.create(new SamplerSpec(type, 0L, Map.of())).maxHistory())
          .as(type)
          .isEqualTo(Integer.MAX_VALUE);
    }
    // Above max_observations the GP is fitted on a subset, and answers.
    SuggestRequest longGp =
        Requests.withHistory(
            Requests.everyKind(),
            "gp",
            1,
            io.sharpsweep.sampler.gp.GpSampler.Options.defaults().maxObservations() + 100,
            2);
    assertThat(service.suggest(longGp).suggestions()).hasSize(2);
  }

  @Test
  void aSamplerThatBreaksTheSpaceIsAServerError() {
    SamplerRegistry broken =
        new SamplerRegistry()
            .register(
                "broken",
                options ->
                    (context, count) ->
                        List.of(Map.of("x", 99.0, "n", 1L, "variant", "sgd"), Map.of()));
    SuggestRequest request = Requests.contract("random");
    SuggestRequest asBroken =
        new SuggestRequest(
            request.space(),
            request.objectives(),
            new SamplerSpec("broken", 1L, Map.of()),
            request.observations(),
            request.pending(),
            2);
    assertThatThrownBy(() -> new SamplerService(broken, 10).suggest(asBroken))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("suggestions[0].params.x");
  }

  @Test
  void theContextOrientsLossesAndEncodesTheHistory() {
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.floatParam("x", 0, 2, false),
                ParamSpec.categorical("v", List.of("a", "b")),
                ParamSpec.floatParam("y", 0, 1, false).when(Map.of("v", List.of("b")))));
    List<Objective> two =
        List.of(new Objective("acc", Goal.MAXIMIZE), new Objective("cost", Goal.MINIMIZE));
    SuggestRequest r =
        new SuggestRequest(
            space,
            two,
            new SamplerSpec("random", null, null),
            List.of(new Observation(Map.of("x", 0.5, "v", "a"), List.of(0.9, 2.0))),
            List.of(
                new io.sharpsweep.protocol.suggest.Pending(Map.of("x", 1.0, "v", "b", "y", 0.25))),
            null);
    assertThat(r.validate()).isEmpty();
    SuggestContext context = SuggestContext.of(r);
    assertThat(context.seed()).isZero();
    assertThat(context.historySize()).isEqualTo(2);
    assertThat(context.observedLosses()).isDeepEqualTo(new double[][] {{-0.9, 2.0}});
    assertThat(context.observedPoints()[0]).containsExactly(0.25, 0.25, Double.NaN);
    assertThat(context.pendingPoints()[0]).containsExactly(0.5, 0.75, 0.25);
    assertThat(service.suggest(r).suggestions()).hasSize(1); // count defaults to 1
  }
}
