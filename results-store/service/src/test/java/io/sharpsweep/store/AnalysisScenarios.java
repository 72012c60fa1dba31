package io.sharpsweep.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.study.Budget;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.study.SchedulerSpec;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.TrialIds;
import io.sharpsweep.store.query.AnalysisQuery;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/studies/{id}/importance} and {@code /variants} through the real application:
 * trials created over the control API, their reports sent to the broker, the answers compared with
 * values computed by hand. Run once per database by the subclasses.
 */
abstract class AnalysisScenarios {
  private static final int EPOCHS = 3;
  private static KafkaTestClient kafka;

  @Inject AnalysisQuery analysis;

  @BeforeAll
  static void connect() {
    kafka = new KafkaTestClient();
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  @Test
  void theVariantsReportComparesWithSgdAtEqualAndAtAnyCost() {
    String study = newId("variants");
    ResultsStoreScenarios.sendStudy(study, spec());
    // (variant, accuracy, cost); t7 has not completed and counts nowhere
    Object[][] trials = {
      {"sgd", 0.80, 4.0},
      {"sgd", 0.84, 10.0},
      {"sam", 0.86, 8.0},
      {"sam", 0.90, 16.0},
      {"sam", 0.70, 8.0},
      {"sgd", 0.82, 6.0},
      {"looksam", 0.83, 5.0},
      {"sam", 0.99, 2.0}
    };
    for (int i = 0; i < trials.length; i++) {
      String variant = (String) trials[i][0];
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("variant", variant);
      if (!variant.equals("sgd")) {
        params.put("rho", 0.05);
      }
      params.put("lr", 0.05);
      trial(study, i, params, (double) trials[i][1], (double) trials[i][2], i < 7);
    }
    awaitCompleted(study, 7);

    JsonPath r = get("/v1/studies/" + study + "/variants");
    assertThat(r.getInt("trials")).isEqualTo(7);
    assertThat(r.getString("metric")).isEqualTo("val_accuracy");
    assertThat(r.getString("cost")).isEqualTo("sgd_epoch_equivalents");
    assertThat(r.getString("sgdBest.trialId")).isEqualTo(TrialIds.trialId(study, 1));
    assertThat(r.getString("reason")).isNull();
    assertThat(r.getList("variants.variant", String.class))
        .containsExactly("sgd", "sam", "looksam");
    // sam: best t3 (0.90 at 16); SGD at cost ≤ 16 is t1 (0.84 at 10): +0.06 for 6 more, 0.01 each;
    // accuracies 0.70, 0.86, 0.90: mean 0.82, std √0.0112, quartiles 0.78, 0.86, 0.88
    assertThat(r.getString("variants[1].best.trialId")).isEqualTo(TrialIds.trialId(study, 3));
    assertThat(r.getDouble("variants[1].best.cost")).isEqualTo(16.0);
    assertThat(r.getString("variants[1].sgdAtEqualCost.trialId"))
        .isEqualTo(TrialIds.trialId(study, 1));
    assertThat(r.getDouble("variants[1].gainAtEqualCost")).isCloseTo(0.06, within(1e-9));
    assertThat(r.getDouble("variants[1].extraCost")).isCloseTo(6, within(1e-9));
    assertThat(r.getDouble("variants[1].gainPerExtraCost")).isCloseTo(0.01, within(1e-9));
    assertThat(r.getInt("variants[1].accuracy.trials")).isEqualTo(3);
    assertThat(r.getDouble("variants[1].accuracy.mean")).isCloseTo(0.82, within(1e-9));
    assertThat(r.getDouble("variants[1].accuracy.std")).isCloseTo(Math.sqrt(0.0112), within(1e-9));
    assertThat(r.getDouble("variants[1].accuracy.q1")).isCloseTo(0.78, within(1e-9));
    assertThat(r.getDouble("variants[1].accuracy.median")).isCloseTo(0.86, within(1e-9));
    assertThat(r.getDouble("variants[1].accuracy.q3")).isCloseTo(0.88, within(1e-9));
    // looksam: best 0.83 at 5; SGD at cost ≤ 5 is t0 (0.80): +0.03; cheaper than SGD's best
    assertThat(r.getString("variants[2].sgdAtEqualCost.trialId"))
        .isEqualTo(TrialIds.trialId(study, 0));
    assertThat(r.getDouble("variants[2].gainAtEqualCost")).isCloseTo(0.03, within(1e-9));
    assertThat(r.getDouble("variants[2].gainOverBestSgd")).isCloseTo(-0.01, within(1e-9));
    assertThat(r.get("variants[2].gainPerExtraCost") == null).isTrue();
    assertThat(r.getString("variants[2].note"))
        .isEqualTo("costs no more than SGD's best: no gain per extra cost");

    given().get("/v1/studies/no-such-study/variants").then().statusCode(404);
  }

  @Test
  void aStudyWithoutSgdTrialsSaysSo() {
    String study = newId("no-sgd");
    ResultsStoreScenarios.sendStudy(study, spec());
    for (int i = 0; i < 2; i++) {
      trial(study, i, Map.of("variant", "sam", "rho", 0.1, "lr", 0.05), 0.8 + 0.1 * i, 8, true);
    }
    awaitCompleted(study, 2);
    JsonPath r = get("/v1/studies/" + study + "/variants");
    assertThat(r.getString("reason"))
        .isEqualTo("the study has no completed SGD trial: no comparison with SGD");
    assertThat(r.get("sgdBest") == null).isTrue();
    assertThat(r.getList("variants.variant", String.class)).containsExactly("sam");
    assertThat(r.getDouble("variants[0].accuracy.median")).isCloseTo(0.85, within(1e-9));
  }

  @Test
  void importanceRanksTheVariantOverAllTrialsAndRhoOverTheTrialsThatSetIt() {
    String study = newId("importance");
    ResultsStoreScenarios.sendStudy(study, spec());
    // sgd trials 0.80 whatever lr; sam trials 0.85 for rho ≤ 0.05 and 0.95 above, lr interleaved
    // so that no split on lr separates them
    Object[][] trials = {
      {"sgd", 0.02, null, 0.80},
      {"sam", 0.03, 0.05, 0.85},
      {"sgd", 0.05, null, 0.80},
      {"sam", 0.08, 0.2, 0.95},
      {"sgd", 0.12, null, 0.80},
      {"sam", 0.15, 0.03, 0.85},
      {"sgd", 0.2, null, 0.80},
      {"sam", 0.25, 0.3, 0.95},
      {"sam", 0.29, 0.4, 0.95},
      {"sam", 0.011, 0.012, 0.85}
    };
    for (int i = 0; i < trials.length; i++) {
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("variant", trials[i][0]);
      if (trials[i][2] != null) {
        params.put("rho", trials[i][2]);
      }
      params.put("lr", trials[i][1]);
      trial(study, i, params, (double) trials[i][3], 4, true);
    }
    awaitCompleted(study, trials.length);

    JsonPath r = get("/v1/studies/" + study + "/importance");
    assertThat(r.getString("objective.name")).isEqualTo("val_accuracy");
    assertThat(r.getString("method")).isEqualTo("fanova");
    assertThat(r.getInt("trees")).isEqualTo(64);
    assertThat(r.getInt("trials")).isEqualTo(10);
    assertThat(r.getList("importances.param", String.class))
        .containsExactly("variant", "lr", "rho");
    double variant = r.getDouble("importances[0].importance");
    double lr = r.getDouble("importances[1].importance");
    assertThat(variant + lr).isCloseTo(1, within(1e-9));
    // the forest also fits the sam trials' rho-driven spread with lr splits, so lr keeps a share
    assertThat(variant).isGreaterThan(lr);
    assertThat(r.get("importances[0].condition") == null).isTrue();
    // over the six sam trials rho separates 0.85 from 0.95 in every tree: all of the variance
    assertThat(r.getInt("importances[2].trials")).isEqualTo(6);
    assertThat(r.getDouble("importances[2].importance")).isCloseTo(1, within(1e-9));
    assertThat(r.getList("importances[2].condition.variant", String.class))
        .containsExactly("sam", "looksam");
    // the same answer twice (the forest's seed is the study's), the second from the cache
    long computed = analysis.computed();
    assertThat(get("/v1/studies/" + study + "/importance").prettify()).isEqualTo(r.prettify());
    assertThat(analysis.computed()).isEqualTo(computed);

    // another objective; then a bad one is a 400 naming the parameter
    JsonPath byCost = get("/v1/studies/" + study + "/importance?objective=sgd_epoch_equivalents");
    assertThat(byCost.getString("objective.name")).isEqualTo("sgd_epoch_equivalents");
    assertThat(byCost.getList("importances")).isEmpty();
    assertThat(byCost.getString("reason"))
        .isEqualTo(
            "no parameter explains any variance: sgd_epoch_equivalents does not vary over the completed trials");
    given()
        .get("/v1/studies/" + study + "/importance?objective=accuracy")
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("objective"));
    given().get("/v1/studies/no-such-study/importance").then().statusCode(404);

    // a trial that completes since is a new input: computed again, over 11 trials
    trial(study, 10, Map.of("variant", "sgd", "lr", 0.1), 0.80, 4, true);
    awaitCompleted(study, 11);
    long before = analysis.computed();
    assertThat(get("/v1/studies/" + study + "/importance").getInt("trials")).isEqualTo(11);
    assertThat(analysis.computed()).isEqualTo(before + 1);
  }

  @Test
  void importanceNeedsFiveCompletedTrials() {
    String study = newId("few");
    ResultsStoreScenarios.sendStudy(study, spec());
    for (int i = 0; i < 3; i++) {
      trial(study, i, Map.of("variant", "sgd", "lr", 0.01 * (i + 1)), 0.8 + 0.01 * i, 4, true);
    }
    awaitCompleted(study, 3);
    JsonPath r = get("/v1/studies/" + study + "/importance");
    assertThat(r.getList("importances")).isEmpty();
    assertThat(r.getInt("trials")).isEqualTo(3);
    assertThat(r.getString("reason"))
        .isEqualTo(
            "importance needs at least 5 completed trials with a value of val_accuracy, the study has 3");
  }

  @Test
  void documentsBothEndpointsInOpenApi() {
    given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths", org.hamcrest.Matchers.hasKey("/v1/studies/{id}/importance"))
        .body("paths", org.hamcrest.Matchers.hasKey("/v1/studies/{id}/variants"))
        .body(
            "paths.'/v1/studies/{id}/importance'.get.responses",
            org.hamcrest.Matchers.hasKey("400"));
  }

  private static StudySpec spec() {
    return new StudySpec(
        "analysis-test",
        new DatasetSpec("synthetic", null, 0.1, null, 100, 20),
        "mlp",
        List.of(new Objective("val_accuracy", Goal.MAXIMIZE)),
        List.of(
            ParamSpec.categorical("variant", List.of("sgd", "sam", "looksam")),
            ParamSpec.floatParam("rho", 0.01, 0.5, true)
                .when(Map.of("variant", List.<Object>of("sam", "looksam"))),
            ParamSpec.floatParam("lr", 0.01, 0.3, true)),
        Map.of("batch-size", 128),
        new SamplerSpec("random", 7L, null),
        new SchedulerSpec("none", null, EPOCHS, null),
        new Budget(20, 20, 2),
        1L);
  }

  /** Creates trial {@code number} and sends its last report (an earlier epoch when not done). */
  private static void trial(
      String study,
      int number,
      Map<String, Object> params,
      double accuracy,
      double cost,
      boolean completed) {
    given()
        .contentType(ContentType.JSON)
        .body(Json.encode(new NewTrials(number, List.of(params))))
        .post("/v1/control/studies/" + study + "/trials")
        .then()
        .statusCode(201);
    String trial = TrialIds.trialId(study, number);
    int epoch = completed ? EPOCHS : 1;
    EpochReport report =
        new EpochReport(
            1,
            study,
            trial,
            1,
            epoch,
            new Metrics(accuracy, 0.3, 0.2, 0.8),
            new Cost(100, 100, 6400, 1.0, 1.5, cost),
            "w",
            null,
            completed);
    kafka.send(Topics.REPORTS, trial, Json.encode(report));
  }

  private static void awaitCompleted(String study, int n) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> given().get("/v1/studies/" + study).jsonPath().getInt("trials.completed") == n);
  }

  private static JsonPath get(String path) {
    // doubles, not RestAssured's default floats: the values are compared to 1e-9
    return new JsonPath(given().get(path).then().statusCode(200).extract().asString())
        .using(
            JsonPathConfig.jsonPathConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
  }

  private static String newId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
