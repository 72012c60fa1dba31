package io.sharpsweep.sampler.tpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.sampler.SamplerService;
import io.sharpsweep.sampler.SuggestContext;
import io.sharpsweep.sampler.random.RandomSampler;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpeSamplerTest {
  private static final List<Objective> LOSS = List.of(new Objective("loss", Goal.MINIMIZE));
  private static final SearchSpace LINE =
      new SearchSpace(List.of(ParamSpec.floatParam("x", -10, 10, false)));

  private static List<Observation> history(int n, long seed) {
    // (x - 3)^2 at random points: a study that has run n trials.
    SuggestContext ctx = context(List.of(), List.of(), seed);
    List<Observation> obs = new ArrayList<>();
    for (Map<String, Object> p : new RandomSampler().suggest(ctx, n)) {
      double x = (Double) p.get("x");
      obs.add(new Observation(p, List.of((x - 3) * (x - 3))));
    }
    return obs;
  }

  private static SuggestContext context(List<Observation> obs, List<Pending> pending, long seed) {
    return new SuggestContext(LINE, new UnitCubeEncoding(LINE), LOSS, obs, pending, seed);
  }

  @Test
  void beforeTheStartupTrialsItIsRandomSampling() {
    SuggestContext ctx = context(history(9, 1), List.of(), 4);
    assertThat(TpeSampler.fromOptions(io.sharpsweep.sampler.SamplerOptions.none()).suggest(ctx, 5))
        .isEqualTo(new RandomSampler().suggest(ctx, 5));
  }

  @Test
  void theModelConcentratesSuggestionsNearTheOptimum() {
    SuggestContext ctx = context(history(40, 2), List.of(), 5);
    TpeSampler tpe = new TpeSampler(TpeOptions.defaults());
    List<Map<String, Object>> s = tpe.suggest(ctx, 20);
    double tpeDistance = medianDistanceTo3(s);
    double randomDistance = medianDistanceTo3(new RandomSampler().suggest(ctx, 20));
    // Random draws on [-10, 10] are a median 6.5 from 3; TPE's should sit near the good points.
    assertThat(tpeDistance).isLessThan(2.0).isLessThan(randomDistance / 2);
  }

  @Test
  void sequentialUseFindsTheMinimumOfAQuadratic() {
    // A small study in-process: 40 trials, one at a time.
    List<Observation> obs = new ArrayList<>();
    TpeSampler tpe = new TpeSampler(TpeOptions.defaults());
    double best = Double.POSITIVE_INFINITY;
    for (int t = 0; t < 40; t++) {
      Map<String, Object> p = tpe.suggest(context(obs, List.of(), 11), 1).get(0);
      double x = (Double) p.get("x");
      best = Math.min(best, (x - 3) * (x - 3));
      obs.add(new Observation(p, List.of((x - 3) * (x - 3))));
    }
    assertThat(best).isLessThan(0.05);
  }

  @Test
  void theUnivariateVariantWorksToo() {
    TpeSampler uni = new TpeSampler(TpeOptions.defaults().withMultivariate(false));
    assertThat(medianDistanceTo3(uni.suggest(context(history(40, 2), List.of(), 5), 20)))
        .isLessThan(2.5);
  }

  @Test
  void aConditionalParameterIsModelledFromTheObservationsWhereItWasActive() {
    // beta is active only with variant = esam; its loss is (beta - 0.9)^2 there, and esam is the
    // better variant, so TPE must propose esam with beta near 0.9.
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.categorical("variant", List.of("sgd", "esam")),
                ParamSpec.floatParam("beta", 0, 1, false)
                    .when(Map.of("variant", List.of("esam")))));
    UnitCubeEncoding enc = new UnitCubeEncoding(space);
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double beta = (i + 0.5) / 40;
      Map<String, Object> p =
          i % 2 == 0 ? Map.of("variant", "sgd") : Map.of("variant", "esam", "beta", beta);
      double loss = i % 2 == 0 ? 1.0 : (beta - 0.9) * (beta - 0.9);
      obs.add(new Observation(p, List.of(loss)));
    }
    SuggestContext ctx = new SuggestContext(space, enc, LOSS, obs, List.of(), 3);
    List<Map<String, Object>> s = new TpeSampler(TpeOptions.defaults()).suggest(ctx, 10);
    long esam = s.stream().filter(p -> "esam".equals(p.get("variant"))).count();
    assertThat(esam).isGreaterThanOrEqualTo(8);
    List<Double> betas =
        s.stream()
            .filter(p -> p.containsKey("beta"))
            .map(p -> (Double) p.get("beta"))
            .sorted()
            .toList();
    assertThat(betas.get(betas.size() / 2)).isBetween(0.7, 1.0);
  }

  @Test
  void constantLiarSpreadsABatchThatWouldOtherwiseCollapse() {
    SuggestContext ctx = context(history(30, 3), List.of(), 8);
    List<Map<String, Object>> liar = new TpeSampler(TpeOptions.defaults()).suggest(ctx, 8);
    assertThat(liar.stream().map(p -> p.get("x")).distinct().count()).isEqualTo(8);
    // A pending point's neighbourhood is avoided: the next suggestion keeps its distance.
    Map<String, Object> first = liar.get(0);
    SuggestContext withPending = context(history(30, 3), List.of(new Pending(first)), 8);
    Map<String, Object> next = new TpeSampler(TpeOptions.defaults()).suggest(withPending, 1).get(0);
    assertThat(next).isNotEqualTo(first);
  }

  @Test
  void aSmallDiscreteSpaceIsNotRepeatedWhileUnseenValuesRemain() {
    SearchSpace space = new SearchSpace(List.of(ParamSpec.intParam("n", 1, 12, false)));
    List<Observation> obs = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      obs.add(new Observation(Map.of("n", (long) n), List.of((double) n)));
    }
    SuggestContext ctx =
        new SuggestContext(space, new UnitCubeEncoding(space), LOSS, obs, List.of(), 1);
    List<Map<String, Object>> s = new TpeSampler(TpeOptions.defaults()).suggest(ctx, 2);
    assertThat(s).extracting(p -> p.get("n")).containsExactlyInAnyOrder(11L, 12L);
  }

  @Test
  void badOptionsAreReportedOnTheirField() {
    SamplerService service = new SamplerService();
    SuggestRequest r =
        new SuggestRequest(
            LINE,
            LOSS,
            new SamplerSpec(
                "tpe",
                1L,
                Map.of(
                    "n_ei_candidates",
                    0,
                    "multivariate",
                    "yes",
                    "gama",
                    0.2,
                    "nStartupTrials",
                    5,
                    "good_weights",
                    "rank")),
            List.of(),
            List.of(),
            1);
    assertThatThrownBy(() -> service.suggest(r))
        .isInstanceOf(ValidationException.class)
        .extracting(
            e -> ((ValidationException) e).errors().stream().map(FieldError::field).toList())
        .asList()
        .containsExactlyInAnyOrder(
            "sampler.options.n_ei_candidates",
            "sampler.options.multivariate",
            "sampler.options.gama",
            "sampler.options.good_weights");
  }

  private static double medianDistanceTo3(List<Map<String, Object>> s) {
    List<Double> d = s.stream().map(p -> Math.abs((Double) p.get("x") - 3)).sorted().toList();
    return d.get(d.size() / 2);
  }
}
