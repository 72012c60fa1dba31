package io.sharpsweep.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.kafka.TopicProbe;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.messages.StudyCreated;
import io.sharpsweep.protocol.messages.StudyEvent;
import io.sharpsweep.protocol.messages.StudyStateChanged;
import io.sharpsweep.protocol.messages.TrialCreated;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SamplerEndpointResource.class, scope = TestResourceScope.GLOBAL)
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

  private static String bootstrap() {
    return KafkaBrokerResource.shared().bootstrapServers();
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

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void invalidSpecsAreRejectedWithTheFieldAndTheRule() {
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
    given()
        .when()
        .get("/v1/studies/st-nope")
        .then()
        .statusCode(404)
        .body("errors[0].field", equalTo("id"));
  }

  @Test
  void aStudyKeepsParallelismSegmentsInFlightAndEndsWhenTheBudgetIsSpent() {
    try (TopicProbe probe = new TopicProbe(bootstrap(), Topics.ASSIGNMENTS, Topics.STUDIES)) {
      String id = create(SPEC);
      List<SegmentAssignment> first = assignments(probe, id, 2);
      assertThat(first)
          .hasSize(2)
          .allSatisfy(
              a -> {
                assertThat(a.fromEpoch()).isZero();
                assertThat(a.toEpoch()).isEqualTo(2);
                assertThat(a.config()).containsEntry("batch-size", 32).containsKey("lr");
                assertThat(a.config().containsKey("rho"))
                    .isEqualTo("sam".equals(a.config().get("variant")));
              });
      assertThat(probe.settle(r -> isAssignmentOf(r, id), Duration.ofMillis(800))).hasSize(2);
      given()
          .when()
          .get("/v1/studies/" + id)
          .then()
          .statusCode(200)
          .body("running", equalTo(2))
          .body("created", equalTo(2));

      // completing a trial frees a slot: the scheduler asks the sampler again and assigns a third
      // trial
      complete(probe, first.get(0), 0.8);
      List<SegmentAssignment> three = assignments(probe, id, 3);
      assertThat(three.get(2).trialId()).isNotIn(first.get(0).trialId(), first.get(1).trialId());

      // a failed attempt is retried as attempt 2 of the same trial; failing again ends the trial
      decide(probe, first.get(1), RungDecision.Action.FAILED, null);
      SegmentAssignment retry = assignments(probe, id, 4).get(3);
      assertThat(retry.trialId()).isEqualTo(first.get(1).trialId());
      assertThat(retry.attempt()).isEqualTo(2);
      decide(probe, retry, RungDecision.Action.FAILED, null);
      SegmentAssignment fourth = assignments(probe, id, 5).get(4);

      // a duplicate decision changes nothing
      complete(probe, three.get(2), 0.7);
      complete(probe, three.get(2), 0.7);
      complete(probe, fourth, 0.9);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  given()
                      .when()
                      .get("/v1/studies/" + id)
                      .then()
                      .body("state", equalTo("completed"))
                      .body("completed", equalTo(3))
                      .body("failed", equalTo(1))
                      .body("running", equalTo(0)));
      assertThat(probe.settle(r -> isAssignmentOf(r, id), Duration.ofMillis(500))).hasSize(5);

      List<StudyEvent> events =
          probe
              .await(
                  r -> r.topic().equals(Topics.STUDIES) && id.equals(r.key()),
                  6,
                  Duration.ofSeconds(10))
              .stream()
              .map(r -> Json.decode(r.value(), StudyEvent.class))
              .toList();
      assertThat(events.get(0)).isInstanceOf(StudyCreated.class);
      assertThat(events.stream().filter(TrialCreated.class::isInstance)).hasSize(4);
      assertThat(events.get(events.size() - 1))
          .isInstanceOfSatisfying(
              StudyStateChanged.class,
              s -> assertThat(s.state()).isEqualTo(StudyStateChanged.State.COMPLETED));
    }
  }

  @Test
  void aMalformedDecisionGoesToTheDeadLetterTopicAndConsumptionGoesOn() {
    try (TopicProbe probe = new TopicProbe(bootstrap(), Topics.ASSIGNMENTS, Topics.DEAD_LETTER)) {
      String id = create(SPEC.replace("trials: 4", "trials: 3"));
      List<SegmentAssignment> first = assignments(probe, id, 2);
      byte[] garbage = ("{not json for " + id).getBytes(StandardCharsets.UTF_8);
      probe.send(Topics.DECISIONS, id, garbage);
      List<ConsumerRecord<String, byte[]>> dead =
          probe.await(
              r -> r.topic().equals(Topics.DEAD_LETTER) && id.equals(r.key()),
              1,
              Duration.ofSeconds(20));
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).value()).isEqualTo(garbage);
      Set<String> headers = new HashSet<>();
      dead.get(0).headers().forEach(h -> headers.add(h.key()));
      assertThat(headers).contains("dead-letter-reason", "dead-letter-topic");

      complete(probe, first.get(0), 0.5);
      assertThat(assignments(probe, id, 3)).hasSize(3);
    }
  }

  private static boolean isAssignmentOf(ConsumerRecord<String, byte[]> r, String studyId) {
    return r.topic().equals(Topics.ASSIGNMENTS) && r.key().startsWith(studyId + "-");
  }

  private static List<SegmentAssignment> assignments(TopicProbe probe, String studyId, int count) {
    List<SegmentAssignment> got =
        probe.await(r -> isAssignmentOf(r, studyId), count, Duration.ofSeconds(20)).stream()
            .map(r -> Json.decode(r.value(), SegmentAssignment.class))
            .toList();
    assertThat(got).as("assignments of " + studyId).hasSizeGreaterThanOrEqualTo(count);
    return got;
  }

  private static void complete(TopicProbe probe, SegmentAssignment a, double accuracy) {
    decide(probe, a, RungDecision.Action.COMPLETE, new Metrics(accuracy, 0.5, 0.4, null));
  }

  private static void decide(
      TopicProbe probe, SegmentAssignment a, RungDecision.Action action, Metrics metrics) {
    RungDecision d =
        new RungDecision(
            SchemaVersion.CURRENT,
            a.studyId(),
            a.trialId(),
            a.attempt(),
            0,
            a.toEpoch(),
            action,
            metrics,
            new Cost(1, 1, 10, 0, 0.1, 2.0),
            null,
            action == RungDecision.Action.FAILED ? "test failure" : null);
    probe.send(Topics.DECISIONS, a.studyId(), Json.encode(d));
  }
}
