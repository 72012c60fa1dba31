package io.sharpsweep.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.kafka.TopicProbe;
import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.api.ApiException;
import io.sharpsweep.protocol.api.SchedulerClient;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.EnqueueConfigs;
import io.sharpsweep.protocol.control.ExtendStudy;
import io.sharpsweep.protocol.control.StudyStatus;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.StudyProgress;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.scheduler.control.ControlEndpointResource;
import io.sharpsweep.scheduler.control.FakeControlPlane;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's REST API and its wake-ups, against a control endpoint standing in for the
 * results-store, the real sampler over HTTP and a real broker. The ticker runs once at start only
 * ({@code %test} refill interval): trials created here come from the create call's wake-up and from
 * records of {@code sharpsweep.decisions}.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SamplerEndpointResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ControlEndpointResource.class, scope = TestResourceScope.GLOBAL)
class StudyResourceTest {
  static final String SPEC =
      """
      name: scheduler-test
      dataset: {name: synthetic}
      model: mlp
      objectives: [{metric: val_accuracy, goal: maximize}]
      space:
        - {name: lr, type: float, low: 0.001, high: 0.5, log: true}
        - {name: variant, type: categorical, choices: [sgd, sam]}
        - {name: rho, type: float, low: 0.01, high: 0.2, when: {variant: [sam]}}
      fixed: {batch-size: 32}
      sampler: {type: random, seed: 3}
      scheduler: {maxEpochs: 2}
      budget: {trials: 4, parallelism: 2, maxAttempts: 2}
      """;

  private static FakeControlPlane plane() {
    return ControlEndpointResource.plane();
  }

  @AfterEach
  void storeUp() {
    plane().down(false);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String create(String yaml) {
    return given()
        .contentType("application/yaml")
        .body(bytes(yaml))
        .when()
        .post("/v1/studies")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  @Test
  void aCreatedStudyIsValidatedNamedAndHandedToTheStoreAndItsFirstTrialsFollow() {
    String id =
        given()
            .contentType("application/yaml")
            .body(bytes(SPEC))
            .when()
            .post("/v1/studies")
            .then()
            .statusCode(201)
            .header("Location", containsString("/v1/studies/st-"))
            .body("id", startsWith("st-"))
            .body("name", equalTo("scheduler-test"))
            .body("state", equalTo("running"))
            .body("budget.trials", equalTo(4))
            .body("budget.parallelism", equalTo(2))
            .body("created", equalTo(0))
            .extract()
            .path("id");
    CreateStudy sent =
        plane().creates.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    assertThat(sent.spec()).isEqualTo(Json.decodeYaml(SPEC, StudySpec.class));
    assertThat(sent.createdAt()).isPositive();

    // right after the create, without a tick: parallelism trials with the sampler's configurations
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(plane().trials(id)).hasSize(2));
    assertThat(plane().trials(id))
        .allSatisfy(
            p -> {
              assertThat(p).containsKeys("lr", "variant");
              assertThat(p.containsKey("rho")).isEqualTo("sam".equals(p.get("variant")));
            });

    // the same JSON as before for the CLI: list, show, cancel come from the store
    given()
        .when()
        .get("/v1/studies/" + id)
        .then()
        .statusCode(200)
        .body("created", equalTo(2))
        .body("waiting", equalTo(2))
        .body("inFlight.size()", equalTo(2));
    given().when().get("/v1/studies").then().statusCode(200).body("id", hasItem(id));
    given()
        .when()
        .post("/v1/studies/" + id + "/cancel")
        .then()
        .statusCode(200)
        .body("state", equalTo("cancelled"))
        .body("reason", equalTo("cancelled by the user"));
  }

  @Test
  void pauseResumeAndExtendAreForwardedToTheStoreWithItsAnswers() {
    String id = create(SPEC);
    given()
        .when()
        .post("/v1/studies/" + id + "/pause")
        .then()
        .statusCode(200)
        .body("state", equalTo("paused"));
    given().when().get("/v1/studies/" + id).then().statusCode(200).body("state", equalTo("paused"));
    given()
        .when()
        .post("/v1/studies/" + id + "/resume")
        .then()
        .statusCode(200)
        .body("state", equalTo("running"));
    given()
        .contentType("application/json")
        .body("{\"trials\": 3}")
        .when()
        .post("/v1/studies/" + id + "/extend")
        .then()
        .statusCode(200)
        .body("budget.trials", equalTo(7));
    // the store's refusals keep their status and body
    given()
        .contentType("application/json")
        .body("{\"maxEpochs\": 9}")
        .when()
        .post("/v1/studies/" + id + "/extend")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("maxEpochs"));
    given().when().post("/v1/studies/" + id + "/cancel").then().statusCode(200);
    given()
        .when()
        .post("/v1/studies/" + id + "/pause")
        .then()
        .statusCode(409)
        .body("errors[0].field", equalTo("id"))
        .body("errors[0].message", containsString("cancelled"));
    given().when().post("/v1/studies/st-nope/resume").then().statusCode(404);
  }

  @Test
  void theTypedClientDrivesTheStudyApiAndReadsItsRefusals() {
    SchedulerClient client =
        SchedulerClient.of("http://localhost:" + io.restassured.RestAssured.port, null);
    StudyStatus created = client.create(SPEC, "application/yaml");
    assertThat(created.name()).isEqualTo("scheduler-test");
    assertThat(created.budget().trials()).isEqualTo(4);
    assertThat(client.studies()).extracting(StudyStatus::id).contains(created.id());
    assertThat(client.study(created.id()).state()).isEqualTo("running");
    assertThat(client.pause(created.id()).state()).isEqualTo("paused");
    assertThat(client.resume(created.id()).state()).isEqualTo("running");
    assertThat(client.extend(created.id(), new ExtendStudy(3, null)).budget().trials())
        .isEqualTo(7);
    ApiException refused =
        catchThrowableOfType(
            ApiException.class, () -> client.extend(created.id(), new ExtendStudy(null, 9)));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.errors().errors())
        .extracting(FieldError::field)
        .containsExactly("maxEpochs");
    assertThat(refused.getMessage()).startsWith("the scheduler at ").doesNotContain("\n");
    ApiException invalid =
        catchThrowableOfType(
            ApiException.class,
            () -> client.create(SPEC.replace("low: 0.001", "low: -1"), "application/yaml"));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errors().errors()).extracting(FieldError::field).contains("space[0].low");
    assertThat(client.cancel(created.id()).state()).isEqualTo("cancelled");
    assertThat(catchThrowableOfType(ApiException.class, () -> client.pause(created.id())).status())
        .isEqualTo(409);
    assertThat(catchThrowableOfType(ApiException.class, () -> client.study("st-nope")).status())
        .isEqualTo(404);
  }

  @Test
  void enqueueTakesJsonOrAYamlListOrAPresetAndForwardsTheStoresAnswer() {
    String id = create(SPEC);
    given()
        .contentType("application/yaml")
        .body(bytes("- {lr: 0.1, variant: sgd}\n- {lr: 0.2, variant: sam, rho: 0.05}\n"))
        .when()
        .post("/v1/studies/" + id + "/enqueue")
        .then()
        .statusCode(200)
        .body("enqueued.size()", equalTo(2))
        .body("study.id", equalTo(id));
    given()
        .contentType("application/json")
        .body("{\"preset\": \"papers\"}")
        .when()
        .post("/v1/studies/" + id + "/enqueue")
        .then()
        .statusCode(200);
    List<EnqueueConfigs> sent = plane().enqueued;
    assertThat(sent.get(sent.size() - 2).configs())
        .containsExactly(
            Map.of("lr", 0.1, "variant", "sgd"), Map.of("lr", 0.2, "variant", "sam", "rho", 0.05));
    assertThat(sent.get(sent.size() - 1).preset()).isEqualTo("papers");
    given()
        .contentType("application/json")
        .body("{\"configs\": [{\"bad\": 1}]}")
        .when()
        .post("/v1/studies/" + id + "/enqueue")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("configs[0].bad"));
    given()
        .contentType("application/json")
        .body("3")
        .when()
        .post("/v1/studies/" + id + "/enqueue")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("configs"));
  }

  @Test
  void aWarmStartMustNameAStudyAndEnqueuedConfigurationsMustFitTheSpace() {
    String from = create(SPEC);
    String warm =
        SPEC + "warmStart: {fromStudy: " + from + "}\nenqueue: [{lr: 0.1, variant: sgd}]\n";
    String id = create(warm);
    CreateStudy sent =
        plane().creates.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    assertThat(sent.spec().warmStart().fromStudy()).isEqualTo(from);
    assertThat(sent.spec().enqueue()).containsExactly(Map.of("lr", 0.1, "variant", "sgd"));
    post("application/yaml", SPEC + "warmStart: {fromStudy: st-nope}\n")
        .body("errors[0].field", equalTo("warmStart.fromStudy"))
        .body("errors[0].message", containsString("no study 'st-nope'"));
    post("application/yaml", SPEC + "enqueue: [{lr: 0.1, variant: sgd, rho: 0.1}]\n")
        .body("errors[0].field", equalTo("enqueue[0].rho"));
  }

  @Test
  void invalidSpecsAreRejectedWithTheFieldAndTheRuleAndNeverReachTheStore() {
    int before = plane().creates.size();
    given()
        .contentType("application/yaml")
        .body(
            bytes(
                SPEC.replace("low: 0.001, high: 0.5", "low: 0.5, high: 0.001")
                    .replace("trials: 4", "trials: 0")))
        .when()
        .post("/v1/studies")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("space[0].low", "budget.trials"));
    given()
        .contentType("application/json")
        .body("{\"name\": \"x\", \"budget\": {\"trials\": \"many\"}}")
        .when()
        .post("/v1/studies")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("budget.trials"));
    given()
        .contentType("application/yaml")
        .body(bytes("name: [unclosed\n"))
        .when()
        .post("/v1/studies")
        .then()
        .statusCode(400)
        .body("errors[0].message", startsWith("not a valid StudySpec (line"));
    given()
        .contentType("application/json")
        .body("")
        .when()
        .post("/v1/studies")
        .then()
        .statusCode(400);
    // a training set that cannot fit in a worker
    given()
        .contentType("application/yaml")
        .body(bytes(SPEC.replace("{name: synthetic}", "{name: synthetic, trainLimit: 2000000}")))
        .when()
        .post("/v1/studies")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("dataset.trainLimit"))
        .body("errors[0].message", containsString("MiB"))
        .body("errors[0].message", containsString("sharpsweep.scheduler.max-dataset-bytes"));
    assertThat(plane().creates).hasSize(before);

    given()
        .when()
        .get("/v1/studies/st-nope")
        .then()
        .statusCode(404)
        .body("errors[0].field", equalTo("id"));
    given().when().post("/v1/studies/st-nope/cancel").then().statusCode(404);
  }

  private static ValidatableResponse post(String contentType, String body) {
    return given()
        .contentType(contentType)
        .body(bytes(body))
        .when()
        .post("/v1/studies")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON);
  }

  @Test
  void nullElementsOfTheSpecsListsAreNamed() {
    int before = plane().creates.size();
    String json = Json.encodeToString(Json.decodeYaml(SPEC, StudySpec.class));
    String firstParam = "{\"name\":\"lr\"";
    assertThat(json).contains("\"space\":[" + firstParam);
    post(
            "application/json",
            json.replace("\"space\":[" + firstParam, "\"space\":[null," + firstParam))
        .body("errors", hasSize(1))
        .body("errors[0].field", equalTo("space[0]"))
        .body("errors[0].message", equalTo("must not be null"));
    post(
            "application/json",
            json.replaceFirst("\"space\":\\[.*?\\],\"fixed\"", "\"space\":[null],\"fixed\""))
        .body("errors.field", hasItem("space[0]"));
    post(
            "application/yaml",
            SPEC.replace(
                "objectives: [{metric: val_accuracy, goal: maximize}]", "objectives: [null]"))
        .body("errors", hasSize(1))
        .body("errors[0].field", equalTo("objectives[0]"))
        .body("errors[0].message", equalTo("must not be null"));
    post("application/yaml", SPEC.replace("choices: [sgd, sam]", "choices: [sgd, null, sam]"))
        .body("errors", hasSize(1))
        .body("errors[0].field", equalTo("space[1].choices[1]"))
        .body("errors[0].message", equalTo("must not be null"));
    post("application/yaml", SPEC.replace("when: {variant: [sam]}", "when: {variant: [null]}"))
        .body("errors", hasSize(1))
        .body("errors[0].field", equalTo("space[2].when.variant[0]"));
    assertThat(plane().creates).hasSize(before);
  }

  @Test
  void aParameterWithoutANameBeforeAConditionalOneIsNamed() {
    int before = plane().creates.size();
    String noParent =
        SPEC.replaceAll(
            "space:\n(  - .*\n)+",
            "space:\n"
                + "  - {type: float, low: 0, high: 1}\n"
                + "  - {name: rho, type: float, low: 0.01, high: 0.5, when: {variant: [sam]}}\n");
    post("application/yaml", noParent).body("errors.field", hasItem("space[0].name"));
    // the parent declared after the nameless parameter
    post(
            "application/yaml",
            SPEC.replace("space:\n", "space:\n  - {type: float, low: 0, high: 1}\n"))
        .body("errors", hasSize(1))
        .body("errors[0].field", equalTo("space[0].name"))
        .body("errors[0].message", equalTo("is required"));
    assertThat(plane().creates).hasSize(before);
  }

  @Test
  void anUnreachableStoreIs503NamingItsUrl() {
    plane().down(true);
    given()
        .contentType("application/yaml")
        .body(bytes(SPEC))
        .when()
        .post("/v1/studies")
        .then()
        .statusCode(503)
        .body("errors[0].field", equalTo("store"))
        .body("errors[0].message", containsString(plane().url()));
    given()
        .when()
        .get("/v1/studies")
        .then()
        .statusCode(503)
        .body("errors[0].message", containsString(plane().url()));
  }

  @Test
  void aRecordOnTheDecisionsTopicWakesItsStudyAndABadOneIsDeadLetteredWakingNothing() {
    String id = create(SPEC);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(plane().trials(id)).hasSize(2));
    plane().finish(id, 1);
    try (TopicProbe probe = new TopicProbe(KafkaBrokerResource.bootstrapServers())) {
      probe.send(
          Topics.DECISIONS,
          id,
          Json.encode(new StudyProgress(SchemaVersion.CURRENT, id, 1, 1, 0, 0L, null, null)));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(plane().trials(id)).hasSize(3));
      plane().finish(id, 1);
      // Bad records: not JSON, an unknown schemaVersion, a key that is not its study: each is
      // dead-lettered with its reason and wakes nothing; the channel goes on.
      byte[] garbage = bytes("{not json for " + id);
      byte[] version = Json.encode(new StudyProgress(99, id, 1, 1, 0, 0L, null, null));
      byte[] otherKey =
          Json.encode(new StudyProgress(SchemaVersion.CURRENT, id, 1, 1, 0, 0L, null, null));
      probe.send(Topics.DECISIONS, id, garbage);
      probe.send(Topics.DECISIONS, id, version);
      probe.send(Topics.DECISIONS, "not-" + id, otherKey);
      try (TopicProbe dead =
          new TopicProbe(KafkaBrokerResource.bootstrapServers(), Topics.DEAD_LETTER)) {
        java.util.Map<String, String> reasons = new java.util.HashMap<>();
        for (var r :
            dead.await(
                r ->
                    java.util.Arrays.equals(r.value(), garbage)
                        || java.util.Arrays.equals(r.value(), version)
                        || java.util.Arrays.equals(r.value(), otherKey),
                3,
                Duration.ofSeconds(30))) {
          reasons.put(
              new String(r.value(), java.nio.charset.StandardCharsets.UTF_8),
              new String(
                  r.headers().lastHeader("dead-letter-reason").value(),
                  java.nio.charset.StandardCharsets.UTF_8));
          assertThat(
                  new String(
                      r.headers().lastHeader("dead-letter-topic").value(),
                      java.nio.charset.StandardCharsets.UTF_8))
              .isEqualTo(Topics.DECISIONS);
        }
        assertThat(reasons.get(new String(garbage, java.nio.charset.StandardCharsets.UTF_8)))
            .startsWith("not a valid DecisionMessage");
        assertThat(reasons.get(new String(version, java.nio.charset.StandardCharsets.UTF_8)))
            .isEqualTo(
                "invalid StudyProgress: schemaVersion: must be 1 to 1 (the versions this scheduler"
                    + " reads), got 99");
        assertThat(reasons.get(new String(otherKey, java.nio.charset.StandardCharsets.UTF_8)))
            .isEqualTo("invalid StudyProgress: the record's key must be its studyId '" + id + "'");
      }
      assertThat(plane().trials(id)).hasSize(3);
      probe.send(
          Topics.DECISIONS,
          id,
          Json.encode(new StudyProgress(SchemaVersion.CURRENT, id, 1, 2, 0, 0L, null, null)));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(plane().trials(id)).hasSize(4));
      given().when().get("/q/health").then().statusCode(200);
    }
  }

  @Test
  void aStudyWhoseSamplerRejectsItFails() {
    String id = "st-poisoned-" + System.nanoTime();
    plane().put(id, Json.decodeYaml(SPEC, StudySpec.class));
    plane().poison(id);
    try (TopicProbe probe = new TopicProbe(KafkaBrokerResource.bootstrapServers())) {
      probe.send(
          Topics.DECISIONS,
          id,
          Json.encode(new StudyProgress(SchemaVersion.CURRENT, id, 0, 0, 0, 0L, null, null)));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  given()
                      .when()
                      .get("/v1/studies/" + id)
                      .then()
                      .body("state", equalTo("failed"))
                      .body("reason", startsWith("the sampler rejected the study")));
    }
    assertThat(plane().trials(id)).isEmpty();
  }
}
