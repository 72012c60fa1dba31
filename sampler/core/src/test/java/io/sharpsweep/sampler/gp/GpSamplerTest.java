package io.sharpsweep.sampler.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.sampler.SamplerOptions;
import io.sharpsweep.sampler.SuggestContext;
import io.sharpsweep.sampler.moo.ParEgoSampler;
import io.sharpsweep.sampler.qmc.SobolSampler;
import io.sharpsweep.sampler.space.UnitCubeEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpSamplerTest {
  private static final List<Objective> ACC = List.of(new Objective("acc", Goal.MAXIMIZE));
  private static final SearchSpace PLANE =
      new SearchSpace(
          List.of(ParamSpec.floatParam("x", 0, 1, false), ParamSpec.floatParam("y", 0, 1, false)));

  private static double accuracy(Map<String, Object> p) {
    double x = (Double) p.get("x");
    double y = (Double) p.get("y");
    return 1 - (x - 0.7) * (x - 0.7) - 2 * (y - 0.2) * (y - 0.2);
  }

  private static SuggestContext context(List<Observation> obs, List<Pending> pending) {
    return new SuggestContext(PLANE, new UnitCubeEncoding(PLANE), ACC, obs, pending, 5);
  }

  @Test
  void startupPointsWalkTheSobolSequence() {
    SuggestContext ctx = context(List.of(), List.of());
    assertThat(GpSampler.fromOptions(SamplerOptions.none()).suggest(ctx, 4))
        .isEqualTo(new SobolSampler(true).suggest(ctx, 4));
  }

  @Test
  void aShortStudyFindsTheMaximumOfAQuadraticPrecisely() {
    GpSampler gp = GpSampler.fromOptions(SamplerOptions.none());
    List<Observation> obs = new ArrayList<>();
    double best = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < 20; t++) {
      Map<String, Object> p = gp.suggest(context(obs, List.of()), 1).get(0);
      best = Math.max(best, accuracy(p));
      obs.add(new Observation(p, List.of(accuracy(p))));
    }
    // Ten Sobol points, then ten EI steps on a smooth bowl: within 1e-4 of the maximum 1.
    assertThat(1 - best).isLessThan(1e-4);
  }

  @Test
  void pendingPointsAndBatchMembersAreBelievedAndAvoided() {
    GpSampler gp = GpSampler.fromOptions(SamplerOptions.none());
    List<Observation> obs = new ArrayList<>();
    for (Map<String, Object> p :
        new SobolSampler(true).suggest(context(List.of(), List.of()), 12)) {
      obs.add(new Observation(p, List.of(accuracy(p))));
    }
    List<Map<String, Object>> batch = gp.suggest(context(obs, List.of()), 4);
    assertThat(batch).doesNotHaveDuplicates();
    Map<String, Object> alone = gp.suggest(context(obs, List.of()), 1).get(0);
    assertThat(batch.get(0)).isEqualTo(alone);
    List<Map<String, Object>> next = gp.suggest(context(obs, List.of(new Pending(alone))), 1);
    assertThat(next.get(0)).isNotEqualTo(alone);
  }

  @Test
  void severalObjectivesAreRefusedWithAPointer() {
    SuggestContext two =
        new SuggestContext(
            PLANE,
            new UnitCubeEncoding(PLANE),
            List.of(new Objective("a", Goal.MAXIMIZE), new Objective("b", Goal.MINIMIZE)),
            List.of(),
            List.of(),
            1);
    assertThatThrownBy(() -> GpSampler.fromOptions(SamplerOptions.none()).suggest(two, 1))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("parego");
  }

  @Test
  void categoricalsAreOneHotAndInactiveParametersImputed() {
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.categorical("v", List.of("a", "b", "c")),
                ParamSpec.floatParam("beta", 0, 1, false).when(Map.of("v", List.of("c")))));
    InputFeatures f = new InputFeatures(new UnitCubeEncoding(space));
    assertThat(f.size()).isEqualTo(4);
    assertThat(f.ofEncoded(new double[] {0.5, Double.NaN})).containsExactly(0, 1, 0, -0.5);
    assertThat(f.ofEncoded(new double[] {5 / 6.0, 0.25})).containsExactly(0, 0, 1, 0.25);
    // Raw points: the choice follows the coordinate, and beta is inactive unless v = c.
    assertThat(f.ofRaw(new double[] {0.1, 0.9})).containsExactly(1, 0, 0, -0.5);
    assertThat(f.ofRaw(new double[] {0.9, 0.9})).containsExactly(0, 0, 1, 0.9);
  }

  @Test
  void belowTheCapEveryObservationIsKeptInOrder() {
    double[][] x = {{0.1}, {0.9}, {0.5}};
    double[] y = {3, 1, 2};
    assertThat(GpSampler.kept(x, y, 3)).containsExactly(0, 1, 2);
    assertThat(GpSampler.kept(x, y, 500)).containsExactly(0, 1, 2);
  }

  @Test
  void aboveTheCapTheBestHalfAndAMaximinSpreadOfTheRestAreKept() {
    // Ten points on a line at 0..9; the best two losses are those of 4 and 5.
    double[][] x = new double[10][];
    for (int i = 0; i < 10; i++) {
      x[i] = new double[] {i};
    }
    double[] y = {9, 8, 7, 6, 1, 2, 5, 4, 3, 10};
    // Then the farthest from {4, 5}: 0 and 9 are both 4 away (the earlier wins), then 9.
    assertThat(GpSampler.kept(x, y, 4)).containsExactly(0, 4, 5, 9);
    // A fifth: every remaining point is 2 away from the kept ones at best (2, 7): the earlier.
    assertThat(GpSampler.kept(x, y, 5)).containsExactly(0, 2, 4, 5, 9);
    // Two: the incumbent (4), then the point farthest from it (9).
    assertThat(GpSampler.kept(x, y, 2)).containsExactly(4, 9);
  }

  @Test
  void belowTheCapTheSuggestionsDoNotDependOnIt() {
    List<Observation> obs = new ArrayList<>();
    for (Map<String, Object> p :
        new SobolSampler(true).suggest(context(List.of(), List.of()), 40)) {
      obs.add(new Observation(p, List.of(accuracy(p))));
    }
    List<Map<String, Object>> byDefault =
        GpSampler.fromOptions(SamplerOptions.none()).suggest(context(obs, List.of()), 2);
    for (int cap : new int[] {40, 1_500}) {
      GpSampler capped = GpSampler.fromOptions(new SamplerOptions(Map.of("max_observations", cap)));
      assertThat(capped.suggest(context(obs, List.of()), 2)).as("cap " + cap).isEqualTo(byDefault);
    }
    // One below: the GP sees a subset, so the answer is another one, still a legal point.
    GpSampler below = GpSampler.fromOptions(new SamplerOptions(Map.of("max_observations", 39)));
    assertThat(below.suggest(context(obs, List.of()), 2)).isNotEqualTo(byDefault).hasSize(2);
  }

  @Test
  void maxObservationsOutOfRangeIsAnErrorNamingTheOption() {
    for (Object bad : List.of(9, 1_501, 0.5, "500")) {
      SamplerOptions o = new SamplerOptions(Map.of("maxObservations", bad));
      GpSampler.Options.read(o);
      assertThat(o.errors("gp"))
          .extracting(FieldError::field)
          .as(String.valueOf(bad))
          .containsExactly("sampler.options.maxObservations");
    }
    SamplerOptions ok = new SamplerOptions(Map.of("max_observations", 1_000));
    assertThat(GpSampler.Options.read(ok).maxObservations()).isEqualTo(1_000);
    assertThat(ok.errors("gp")).isEmpty();
    assertThat(GpSampler.Options.defaults().maxObservations()).isEqualTo(500);
  }

  @Test
  void aBatchAboveTheCountCapOrTooManyFantasiesIsRefusedOnceTheModelIsUsed() {
    GpSampler gp = GpSampler.fromOptions(SamplerOptions.none());
    SuggestContext empty = context(List.of(), List.of());
    // The Sobol' start costs nothing: a study's first batch may be as large as the protocol allows.
    assertThat(gp.suggest(empty, 1_000)).hasSize(1_000);
    List<Observation> obs = new ArrayList<>();
    for (Map<String, Object> p : new SobolSampler(true).suggest(empty, 12)) {
      obs.add(new Observation(p, List.of(accuracy(p))));
    }
    SuggestContext modelled = context(obs, List.of());
    assertThatThrownBy(() -> gp.suggest(modelled, GpSampler.MAX_COUNT + 1))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.errors()).extracting(FieldError::field).containsExactly("count");
              assertThat(e.errors().get(0).message()).contains("at most 100", "'gp'", "got 101");
            });
    SuggestContext twoObjectives =
        new SuggestContext(
            PLANE,
            new UnitCubeEncoding(PLANE),
            List.of(new Objective("a", Goal.MAXIMIZE), new Objective("b", Goal.MINIMIZE)),
            obs.stream()
                .map(o -> new Observation(o.params(), List.of(o.values().get(0), 1.0)))
                .toList(),
            List.of(),
            5);
    ParEgoSampler parego = ParEgoSampler.fromOptions(SamplerOptions.none());
    assertThatThrownBy(() -> parego.suggest(twoObjectives, GpSampler.MAX_COUNT + 1))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.errors().get(0).message()).contains("'parego'"));
    List<Pending> pending = new ArrayList<>();
    for (Map<String, Object> p : gp.suggest(empty, GpSampler.MAX_FANTASIES)) {
      pending.add(new Pending(p));
    }
    // More pending points than fantasies: the most recent ones join the posterior, and every one
    // of them is still excluded from the answer.
    List<Map<String, Object>> more = gp.suggest(context(obs, pending), 3);
    assertThat(more)
        .hasSize(3)
        .doesNotContainAnyElementsOf(pending.stream().map(Pending::params).toList());
  }
}
