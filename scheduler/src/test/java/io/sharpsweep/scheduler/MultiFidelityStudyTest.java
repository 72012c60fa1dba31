package io.sharpsweep.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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
import io.sharpsweep.protocol.messages.RungDecision.Action;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * An ASHA study through the real broker: park frees a slot for a new configuration, promote resumes
 * a trial.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SamplerEndpointResource.class, scope = TestResourceScope.GLOBAL)
class MultiFidelityStudyTest {
  static final String SPEC =
      """
      name: asha-test
      dataset: {name: synthetic}
      model: mlp
      objectives: [{metric: val_accuracy, goal: maximize}, {metric: sgd_epoch_equivalents, goal: minimize}]
      space:
        - {name: lr, type: float, low: 0.001, high: 0.5, log: true}
      sampler: {type: random, seed: 5}
      scheduler: {type: asha, minEpochs: 1, maxEpochs: 9, eta: 3}
      budget: {trials: 3, parallelism: 2, maxAttempts: 2}
      """;

  @Test
  void parkStartsANewConfigurationAndPromoteResumesTheParkedTrialFromItsCheckpoint() {
    try (TopicProbe probe =
        new TopicProbe(KafkaBrokerResource.shared().bootstrapServers(), Topics.ASSIGNMENTS)) {
      String id =
          given()
              .contentType("application/yaml")
              .body(SPEC.getBytes(StandardCharsets.UTF_8))
              .when()
              .post("/v1/studies")
              .then()
              .statusCode(201)
              .body("scheduler", equalTo("asha"))
              .extract()
              .path("id");
      List<SegmentAssignment> first = assignments(probe, id, 2);
      assertThat(first)
          .allSatisfy(
              a -> {
                assertThat(a.fromEpoch()).isZero();
                assertThat(a.toEpoch()).isEqualTo(1); // the first rung
                assertThat(a.maxEpochs()).isEqualTo(9);
              });
      SegmentAssignment t0 = first.get(0);
      SegmentAssignment t1 = first.get(1);

      // t0 parks at rung 0: its slot goes to a third configuration.
      decide(probe, t0, 0, Action.PARK, null);
      SegmentAssignment t2 = assignments(probe, id, 3).get(2);
      assertThat(t2.trialId()).isNotIn(t0.trialId(), t1.trialId());
      assertThat(t2.toEpoch()).isEqualTo(1);
      given()
          .get("/v1/studies/" + id)
          .then()
          .body("parked", equalTo(1))
          .body("running", equalTo(2))
          .body("created", equalTo(3));

      // t2's report promotes parked t0 (sent first) and parks t2: t0 resumes from its rung-0
      // checkpoint.
      decide(probe, t0, 0, Action.PROMOTE, 3);
      decide(probe, t2, 0, Action.PARK, null);
      decide(probe, t2, 0, Action.PARK, null); // redelivered
      SegmentAssignment resumed = assignments(probe, id, 4).get(3);
      assertThat(resumed.trialId()).isEqualTo(t0.trialId());
      assertThat(resumed.attempt()).isEqualTo(t0.attempt());
      assertThat(resumed.fromEpoch()).isEqualTo(1);
      assertThat(resumed.toEpoch()).isEqualTo(3);
      assertThat(resumed.checkpointUri()).isEqualTo("file:///ckpt/" + t0.trialId() + "/1");
      assertThat(resumed.config()).isEqualTo(t0.config());
      assertThat(resumed.seed()).isEqualTo(t0.seed());

      // The budget is spent: the study ends once nothing is in flight and nothing waits.
      decide(probe, t1, 0, Action.PARK, null);
      decide(probe, resumed, 1, Action.PARK, null);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  given()
                      .get("/v1/studies/" + id)
                      .then()
                      .body("state", equalTo("completed"))
                      .body("running", equalTo(0))
                      .body("parked", equalTo(3)));
      assertThat(probe.settle(r -> isAssignmentOf(r, id), Duration.ofMillis(500))).hasSize(4);
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

  /**
   * The store's decision about the segment {@code a} just ended (its last epoch, at {@code rung}).
   */
  private static void decide(
      TopicProbe probe, SegmentAssignment a, int rung, Action action, Integer toEpoch) {
    int epoch = a.toEpoch();
    RungDecision d =
        new RungDecision(
            SchemaVersion.CURRENT,
            a.studyId(),
            a.trialId(),
            a.attempt(),
            rung,
            epoch,
            action,
            new Metrics(0.5, 0.5, 0.4, null),
            new Cost(1, 1, 10, 0, 0.1, epoch),
            "file:///ckpt/" + a.trialId() + "/" + epoch,
            null,
            toEpoch);
    probe.send(Topics.DECISIONS, a.studyId(), Json.encode(d));
  }
}
