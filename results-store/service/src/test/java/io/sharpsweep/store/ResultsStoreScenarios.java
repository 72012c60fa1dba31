package io.sharpsweep.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.api.ApiException;
import io.sharpsweep.protocol.api.BestAnswer;
import io.sharpsweep.protocol.api.CurvePoint;
import io.sharpsweep.protocol.api.EpochView;
import io.sharpsweep.protocol.api.ExportRow;
import io.sharpsweep.protocol.api.ParetoAnswer;
import io.sharpsweep.protocol.api.ParetoPoint;
import io.sharpsweep.protocol.api.StoreClient;
import io.sharpsweep.protocol.api.StudyDetail;
import io.sharpsweep.protocol.api.StudySummary;
import io.sharpsweep.protocol.api.TrialEpochs;
import io.sharpsweep.protocol.api.TrialPage;
import io.sharpsweep.protocol.api.TrialView;
import io.sharpsweep.protocol.api.VariantsAnswer;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.EndStudy;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.DecisionMessage;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.StudyProgress;
import io.sharpsweep.protocol.messages.TrialFailed;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.study.Budget;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.study.SchedulerSpec;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.TrialIds;
import io.sharpsweep.store.db.DatabaseKind;
import io.sharpsweep.store.db.StoreDatabase;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store end to end through the real broker and database: studies and trials are created through
 * the control API, reports go in with a plain producer, answers come out over REST and on {@code
 * sharpsweep.decisions}. Run once per database by the subclasses. Every test uses its own study
 * ids, so the tests share the broker and database without seeing each other's data.
 */
abstract class ResultsStoreScenarios {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Cost COST_1 = new Cost(100, 100, 6400, 1.0, 1.5, 2.0);

  static KafkaTestClient kafka;

  @Inject StoreDatabase database;

  @Inject
  @DataSource("h2")
  InjectableInstance<AgroalDataSource> h2;

  @Inject
  @DataSource("postgresql")
  InjectableInstance<AgroalDataSource> postgresql;

  abstract DatabaseKind expectedDatabase();

  @BeforeAll
  static void connect() {
    kafka = new KafkaTestClient();
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  @Test
  void runsOnTheDatabaseChosenAtRunTime() {
    assertThat(database.kind()).isEqualTo(expectedDatabase());
    assertThat(h2.getHandle().getBean().isActive())
        .isEqualTo(expectedDatabase() == DatabaseKind.H2);
    assertThat(postgresql.getHandle().getBean().isActive())
        .isEqualTo(expectedDatabase() == DatabaseKind.POSTGRESQL);
  }

  @Test
  void storesEachEpochOnceAndDecidesCompletionOnce() {
    String study = newId("study");
    String trial = TrialIds.trialId(study, 0);
    String marker = TrialIds.trialId(study, 1);
    sendStudy(study, spec(new Objective("val_accuracy", Goal.MAXIMIZE)));
    sendTrial(study, trial, 0, Map.of("variant", "sam", "rho", 0.05));
    sendTrial(study, marker, 1, Map.of("variant", "sgd", "rho", 0.0));
    sendReport(report(study, trial, 1, 1, 0.50, 1.0, false));
    sendReport(report(study, trial, 1, 2, 0.60, 2.0, false));
    sendReport(
        report(
            study, trial, 1, 2, 0.99, 9.0,
            false)); // redelivered epoch 2 with other numbers: the first copy stays
    sendReport(report(study, trial, 1, 3, 0.70, 3.0, true));
    sendReport(
        report(
            study, trial, 1, 3, 0.70, 3.0, true)); // redelivered final report: no second decision
    // A later decision on the same partitions: once it is out, every decision of the records above
    // is out too.
    sendReport(report(study, marker, 1, 1, 0.40, 1.0, true));

    JsonPath trials =
        awaitJson(
            "/v1/studies/" + study + "/trials",
            j ->
                j.getList("findAll { it.state == 'completed' }").size() == 2
                    && j.getString("find { it.trialId == '" + trial + "' }.params.variant")
                        != null);
    String t0 = "find { it.trialId == '" + trial + "' }";
    assertThat(trials.getList(t0 + ".epochs.epoch", Integer.class)).containsExactly(1, 2, 3);
    assertThat(trials.getList(t0 + ".epochs.metrics.valAccuracy", Double.class))
        .containsExactly(0.50, 0.60, 0.70);
    assertThat(trials.getList(t0 + ".epochs.final", Boolean.class))
        .containsExactly(false, false, true);
    assertThat(trials.getInt(t0 + ".number")).isZero();
    assertThat(trials.getInt(t0 + ".lastEpoch")).isEqualTo(3);
    assertThat(trials.getInt(t0 + ".attempt")).isEqualTo(1);
    assertThat(trials.getDouble(t0 + ".params.rho")).isEqualTo(0.05);
    assertThat(trials.getString(t0 + ".config.batch-size")).isEqualTo("128");
    assertThat(trials.getDouble(t0 + ".epochs[2].cost.sgdEpochEquivalents")).isEqualTo(3.0);

    try (KafkaTestClient.Tail tail = kafka.tail(Topics.DECISIONS)) {
      // The marker's progress comes after the marker's decision, which comes after every decision
      // about t0.
      await()
          .atMost(PATIENCE)
          .until(
              () -> progress(tail.poll(), study).stream().anyMatch(p -> p.trialsCompleted() == 2));
      List<RungDecision> decisions = rungDecisions(tail.poll(), trial);
      assertThat(decisions).hasSize(1);
      RungDecision d = decisions.get(0);
      assertThat(d.action()).isEqualTo(RungDecision.Action.COMPLETE);
      assertThat(d.studyId()).isEqualTo(study);
      assertThat(d.attempt()).isEqualTo(1);
      assertThat(d.epoch()).isEqualTo(3);
      assertThat(d.metrics().valAccuracy()).isEqualTo(0.70);
      assertThat(d.cost().sgdEpochEquivalents()).isEqualTo(3.0);
      assertThat(d.checkpointUri()).isEqualTo("file:///ckpt/" + trial + "/3");
      assertThat(rungDecisions(tail.poll(), marker))
          .singleElement()
          .satisfies(m -> assertThat(m.action()).isEqualTo(RungDecision.Action.COMPLETE));
      StudyProgress last =
          progress(tail.poll(), study).stream()
              .filter(p -> p.trialsCompleted() == 2)
              .findFirst()
              .orElseThrow();
      assertThat(last.trialsRunning()).isZero();
      assertThat(last.trialsFailed()).isZero();
      assertThat(last.reportsStored()).isEqualTo(4);
      assertThat(last.bestValue()).isEqualTo(0.70);
      assertThat(
              tail.poll().stream()
                  .filter(
                      r -> Json.decode(r.value(), DecisionMessage.class).studyId().equals(study)))
          .allSatisfy(r -> assertThat(r.key()).isEqualTo(study));
    }
  }

  @Test
  void failedSegmentMarksTheTrialAndIsDecidedOnce() {
    String study = newId("study");
    String trial = TrialIds.trialId(study, 0);
    String marker = TrialIds.trialId(study, 1);
    // One attempt: the worker's failure report ends the trial.
    sendStudy(
        study,
        spec(
            new SchedulerSpec("none", null, 3, null),
            new Budget(4, 2, 1),
            new Objective("val_accuracy", Goal.MAXIMIZE)));
    sendTrial(study, trial, 0, Map.of("lr", 0.1));
    sendTrial(study, marker, 1, Map.of("lr", 0.2));
    sendReport(report(study, trial, 1, 1, 0.30, 1.0, false));
    TrialFailed failed =
        new TrialFailed(1, study, trial, 1, 1, "loss diverged (NaN) at step 17", "worker-2");
    sendReport(failed);
    sendReport(failed);
    sendReport(report(study, marker, 1, 1, 0.40, 1.0, true));

    JsonPath trials =
        awaitJson(
            "/v1/studies/" + study + "/trials",
            j -> j.getList("findAll { it.state == 'failed' }").size() == 1);
    String t0 = "find { it.trialId == '" + trial + "' }";
    assertThat(trials.getString(t0 + ".reason")).isEqualTo("loss diverged (NaN) at step 17");
    assertThat(trials.getList(t0 + ".epochs.epoch", Integer.class)).containsExactly(1);
    try (KafkaTestClient.Tail tail = kafka.tail(Topics.DECISIONS)) {
      await().atMost(PATIENCE).until(() -> !rungDecisions(tail.poll(), marker).isEmpty());
      assertThat(rungDecisions(tail.poll(), trial))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.action()).isEqualTo(RungDecision.Action.FAILED);
                assertThat(d.reason()).isEqualTo("loss diverged (NaN) at step 17");
                // The failed segment's start: the trial's segment runs from epoch 0.
                assertThat(d.epoch()).isZero();
                assertThat(d.metrics()).isNull();
              });
    }
  }

  @Test
  void bestTrialFollowsTheObjective() {
    String study = newId("study");
    sendStudy(
        study,
        spec(
            new Objective("val_accuracy", Goal.MAXIMIZE),
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE)));
    double[][] finals = {
      {0.71, 0.90, 4.0}, {0.88, 0.40, 6.0}, {0.80, 0.30, 2.0}
    }; // val accuracy, val loss, SGD epochs
    for (int i = 0; i < finals.length; i++) {
      String trial = TrialIds.trialId(study, i);
      sendTrial(study, trial, i, Map.of("lr", 0.01 * (i + 1)));
      sendReport(report(study, trial, 1, 1, 0.5, 1.0, false));
      sendReport(
          new EpochReport(
              1,
              study,
              trial,
              1,
              2,
              new Metrics(finals[i][0], finals[i][1], 0.2, null),
              cost(finals[i][2]),
              "worker-1",
              null,
              true));
    }
    // Better than all, but not completed: a running trial never counts.
    sendTrial(study, TrialIds.trialId(study, 3), 3, Map.of("lr", 0.5));
    sendReport(report(study, TrialIds.trialId(study, 3), 1, 1, 0.95, 1.0, false));

    awaitJson(
        "/v1/studies/" + study,
        j -> j.getInt("trials.completed") == 3 && j.getInt("trials.running") == 1);
    best(study, "")
        .body("objective.name", equalTo("val_accuracy"))
        .body("objective.goal", equalTo("maximize"))
        .body("best.trialId", equalTo(TrialIds.trialId(study, 1)))
        .body("best.number", equalTo(1))
        .body("best.value", equalTo(0.88f))
        .body("best.epoch", equalTo(2))
        .body("best.params.lr", equalTo(0.02f))
        .body("reason", equalTo(null));
    best(study, "?objective=val_loss")
        .body("best.trialId", equalTo(TrialIds.trialId(study, 2)))
        .body("best.value", equalTo(0.30f));
    best(study, "?objective=sgd_epoch_equivalents")
        .body("best.trialId", equalTo(TrialIds.trialId(study, 2)))
        .body("best.value", equalTo(2.0f));
    best(study, "?objective=val_accuracy&goal=minimize")
        .body("best.trialId", equalTo(TrialIds.trialId(study, 0)));
    given()
        .get("/v1/studies/" + study + "/best?objective=accuracy")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("errors[0].field", equalTo("objective"))
        .body("errors[0].message", startsWith("unknown objective 'accuracy': one of ["));
    given()
        .get("/v1/studies/" + study + "/best?goal=upwards")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("goal"));

    JsonPath list = given().get("/v1/studies").then().statusCode(200).extract().jsonPath();
    String s = "find { it.id == '" + study + "' }";
    assertThat(list.getString(s + ".name")).isEqualTo("fmnist-test");
    assertThat(list.getString(s + ".state")).isEqualTo("running");
    assertThat(list.getInt(s + ".trials.completed")).isEqualTo(3);
    assertThat(list.getInt(s + ".trials.total")).isEqualTo(4);
    assertThat(list.getDouble(s + ".bestValue")).isEqualTo(0.88);
    assertThat(list.getString(s + ".createdAt")).isEqualTo("2026-01-02T03:04:05Z");

    given()
        .get("/v1/studies/" + study)
        .then()
        .statusCode(200)
        .body("spec.objectives[1].name", equalTo("sgd_epoch_equivalents"))
        .body("spec.model", equalTo("mlp"))
        .body("reportsStored", equalTo(7))
        .body("trials.total", equalTo(4));
    given()
        .get("/v1/studies/" + study + "/trials/" + TrialIds.trialId(study, 0) + "/curve")
        .then()
        .statusCode(200)
        .body("points.epoch", equalTo(List.of(1, 2)))
        .body("points[1].valAccuracy", equalTo(0.71f))
        .body("points[1].sgdEpochEquivalents", equalTo(4.0f));
  }

  @Test
  void answersWhileNoTrialHasCompletedAndFollowsTheStudyState() {
    String study = newId("study");
    sendStudy(study, spec(new Objective("val_loss", Goal.MINIMIZE)));
    given()
        .contentType(ContentType.JSON)
        .body(Json.encode(new EndStudy("cancelled by the user")))
        .post("/v1/control/studies/" + study + "/cancel")
        .then()
        .statusCode(200)
        .body("state", equalTo("cancelled"));
    awaitJson("/v1/studies/" + study, j -> "cancelled".equals(j.getString("state")));
    given()
        .get("/v1/studies/" + study)
        .then()
        .body("reason", equalTo("cancelled by the user"))
        .body("trials.total", equalTo(0));
    best(study, "")
        .body("best", equalTo(null))
        .body("objective.name", equalTo("val_loss"))
        .body("objective.goal", equalTo("minimize"))
        .body("reason", equalTo("no trial of study '" + study + "' has completed yet"));
  }

  @Test
  void unknownStudiesAndTrialsAre404WithTheField() {
    given()
        .get("/v1/studies/no-such-study")
        .then()
        .statusCode(404)
        .contentType(ContentType.JSON)
        .body("errors[0].field", equalTo("id"))
        .body("errors[0].message", equalTo("unknown study 'no-such-study'"));
    given()
        .get("/v1/studies/no-such-study/best")
        .then()
        .statusCode(404)
        .body("errors[0].field", equalTo("id"));
    given().get("/v1/studies/no-such-study/trials").then().statusCode(404);
    String study = newId("study");
    sendStudy(study, spec(new Objective("val_accuracy", Goal.MAXIMIZE)));
    awaitJson("/v1/studies/" + study, j -> "running".equals(j.getString("state")));
    given()
        .get("/v1/studies/" + study + "/trials/nope/curve")
        .then()
        .statusCode(404)
        .body("errors[0].field", equalTo("tid"))
        .body("errors[0].message", equalTo("unknown trial 'nope' in study '" + study + "'"));
  }

  @Test
  void recordsOfUnknownStudiesOrTrialsAreDeadLetteredAndCreateNothing() {
    String study = newId("study");
    String trial = TrialIds.trialId(study, 0);
    byte[] unknownStudy = Json.encode(report(study, trial, 1, 1, 0.55, 1.0, false));
    byte[] unknownTrial = Json.encode(report(study, trial, 1, 1, 0.56, 1.0, false));
    byte[] unknownFailure =
        Json.encode(new TrialFailed(1, study, trial, 1, 0, "diverged", "worker-1"));
    try (KafkaTestClient.Tail tail = kafka.tail(Topics.DEAD_LETTER)) {
      // Each step waits for the copies of the records before it: Kafka and REST do not race.
      kafka.send(Topics.REPORTS, trial, unknownStudy);
      await().atMost(PATIENCE).until(() -> deadLetter(tail.poll(), unknownStudy).isPresent());
      given().get("/v1/studies/" + study).then().statusCode(404);
      sendStudy(study, spec(new Objective("val_accuracy", Goal.MAXIMIZE)));
      kafka.send(Topics.REPORTS, trial, unknownTrial);
      kafka.send(Topics.REPORTS, trial, unknownFailure);
      await().atMost(PATIENCE).until(() -> deadLetter(tail.poll(), unknownFailure).isPresent());
      assertThat(header(deadLetter(tail.poll(), unknownStudy).orElseThrow(), "dead-letter-reason"))
          .isEqualTo("unknown study '" + study + "'");
      assertThat(header(deadLetter(tail.poll(), unknownTrial).orElseThrow(), "dead-letter-reason"))
          .isEqualTo("unknown trial '" + trial + "' in study '" + study + "'");
      assertThat(
              header(deadLetter(tail.poll(), unknownFailure).orElseThrow(), "dead-letter-reason"))
          .isEqualTo("unknown trial '" + trial + "' in study '" + study + "'");
    }
    given().get("/v1/studies/" + study).then().body("trials.total", equalTo(0));
    sendTrial(study, trial, 0, Map.of("lr", 0.1));
    sendReport(report(study, trial, 1, 1, 0.57, 1.0, false));
    JsonPath trials =
        awaitJson("/v1/studies/" + study + "/trials", j -> j.getList("[0].epochs").size() == 1);
    assertThat(trials.getList("[0].epochs.metrics.valAccuracy", Double.class))
        .containsExactly(0.57);
    assertThat(trials.getInt("[0].number")).isZero();
    given()
        .get("/v1/studies/" + study)
        .then()
        .body("state", equalTo("running"))
        .body("trials.total", equalTo(1));
  }

  @Test
  void aStudyThatEndedTakesOnlyReportsOfTheLeasesItGranted() {
    String study = newId("study");
    String trial = TrialIds.trialId(study, 0);
    sendStudy(study, spec(new Objective("val_accuracy", Goal.MAXIMIZE)));
    sendTrial(study, trial, 0, Map.of("lr", 0.1));
    given()
        .contentType(ContentType.JSON)
        .body(Json.encode(new EndStudy("cancelled by the user")))
        .post("/v1/control/studies/" + study + "/cancel")
        .then()
        .statusCode(200);
    byte[] noLease = Json.encode(report(study, trial, 1, 1, 0.5, 1.0, false));
    byte[] strangeLease =
        Json.encode(report(study, trial, 1, 1, 0.5, 1.0, false).underLease("no-such-lease"));
    kafka.send(Topics.REPORTS, trial, noLease);
    kafka.send(Topics.REPORTS, trial, strangeLease);
    try (KafkaTestClient.Tail tail = kafka.tail(Topics.DEAD_LETTER)) {
      await().atMost(PATIENCE).until(() -> deadLetter(tail.poll(), strangeLease).isPresent());
      assertThat(header(deadLetter(tail.poll(), noLease).orElseThrow(), "dead-letter-reason"))
          .isEqualTo(
              "study '"
                  + study
                  + "' is cancelled: it takes only the records of segments it leased, and this"
                  + " report names no lease");
      assertThat(header(deadLetter(tail.poll(), strangeLease).orElseThrow(), "dead-letter-reason"))
          .endsWith("this report names lease 'no-such-lease', which it never granted");
    }
    given().get("/v1/studies/" + study).then().body("reportsStored", equalTo(0));
  }

  @Test
  void oversizedRecordsAreDeadLetteredWholeOrCutAndConsumptionGoesOn() {
    String study = newId("study");
    String trial = TrialIds.trialId(study, 0);
    sendStudy(study, spec(new Objective("val_accuracy", Goal.MAXIMIZE)));
    sendTrial(study, trial, 0, Map.of("lr", 0.1));
    // 1,047,991 bytes: the size a tester's record had, whose copy with SmallRye's dead-letter
    // producer (1 MiB request limit) failed the channel. 1,048,420 bytes: as near the broker's
    // limit (1,048,588 bytes a batch) as a producer can send; its copy with the dead-letter headers
    // is above that limit, so it must be cut.
    byte[] large = pad(study, 1_047_991);
    byte[] limit = pad(study, 1_048_420);
    kafka.send(Topics.REPORTS, trial, large);
    kafka.send(Topics.REPORTS, trial, limit);
    sendReport(report(study, trial, 1, 1, 0.66, 1.0, false));

    JsonPath stored =
        awaitJson("/v1/studies/" + study + "/trials", j -> j.getList("[0].epochs").size() == 1);
    assertThat(stored.getList("[0].epochs.metrics.valAccuracy", Double.class))
        .containsExactly(0.66);
    given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    try (KafkaTestClient.Tail tail = kafka.tail(Topics.DEAD_LETTER)) {
      ConsumerRecord<String, byte[]> first = awaitCopy(tail, large);
      ConsumerRecord<String, byte[]> second = awaitCopy(tail, limit);
      for (ConsumerRecord<String, byte[]> copy : List.of(first, second)) {
        byte[] original = copy == first ? large : limit;
        assertThat(copy.key()).isEqualTo(trial);
        assertThat(header(copy, "dead-letter-original-size"))
            .isEqualTo(Integer.toString(original.length));
        assertThat(header(copy, "dead-letter-topic")).isEqualTo(Topics.REPORTS);
        assertThat(header(copy, "dead-letter-reason")).startsWith("not a valid ReportMessage");
        String kept = header(copy, "dead-letter-truncated");
        if (kept == null) {
          assertThat(copy.value()).isEqualTo(original);
        } else {
          assertThat(copy.value()).hasSize(Integer.parseInt(kept));
          assertThat(copy.value())
              .isEqualTo(java.util.Arrays.copyOf(original, Integer.parseInt(kept)));
        }
      }
      assertThat(header(second, "dead-letter-truncated")).isNotNull();
      assertThat(Integer.parseInt(header(second, "dead-letter-truncated")))
          .isBetween(900_000, 1_000_000);
    }
  }

  /** A record of {@code size} bytes that starts like a report and is cut inside a string. */
  private static byte[] pad(String study, int size) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) ' ');
    byte[] head =
        ("{\"type\":\"epoch-report\",\"studyId\":\"" + study + "\",\"pad" + size + "\":\"")
            .getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, bytes, 0, head.length);
    return bytes;
  }

  private static ConsumerRecord<String, byte[]> awaitCopy(
      KafkaTestClient.Tail tail, byte[] original) {
    String sha = sha256(original);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                tail.poll().stream()
                    .anyMatch(r -> sha.equals(header(r, "dead-letter-original-sha256"))));
    return tail.poll().stream()
        .filter(r -> sha.equals(header(r, "dead-letter-original-sha256")))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void malformedRecordsGoToTheDeadLetterTopicAndConsumptionGoesOn() {
    String study = newId("study");
    String trial = TrialIds.trialId(study, 0);
    sendStudy(study, spec(new Objective("val_accuracy", Goal.MAXIMIZE)));
    sendTrial(study, trial, 0, Map.of("lr", 0.1));
    byte[] garbageReport =
        ("{\"type\": \"epoch-report\", broken " + study).getBytes(StandardCharsets.UTF_8);
    byte[] negativeEpoch = Json.encode(report(study, trial, 1, -1, 0.5, 1.0, false));
    kafka.send(Topics.REPORTS, trial, garbageReport);
    kafka.send(Topics.REPORTS, trial, negativeEpoch);
    sendReport(report(study, trial, 1, 1, 0.61, 1.0, false));

    JsonPath trials =
        awaitJson("/v1/studies/" + study + "/trials", j -> j.getList("[0].epochs").size() == 1);
    assertThat(trials.getList("[0].epochs.epoch", Integer.class)).containsExactly(1);
    awaitJson("/v1/studies/" + study, j -> "running".equals(j.getString("state")));

    try (KafkaTestClient.Tail tail = kafka.tail(Topics.DEAD_LETTER)) {
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  deadLetter(tail.poll(), garbageReport).isPresent()
                      && deadLetter(tail.poll(), negativeEpoch).isPresent());
      ConsumerRecord<String, byte[]> r1 = deadLetter(tail.poll(), garbageReport).orElseThrow();
      assertThat(r1.key()).isEqualTo(trial);
      assertThat(header(r1, "dead-letter-topic")).isEqualTo(Topics.REPORTS);
      assertThat(header(r1, "dead-letter-reason")).startsWith("not a valid ReportMessage");
      ConsumerRecord<String, byte[]> r2 = deadLetter(tail.poll(), negativeEpoch).orElseThrow();
      assertThat(header(r2, "dead-letter-reason"))
          .isEqualTo(
              "invalid EpochReport: epoch: must be at least 1 (epochs are numbered from 1), got -1");
    }
  }

  @Test
  void ashaParksAndPromotesThroughTheDecisionsTopicAndTheRestShowsTheRungs() {
    String study = newId("asha");
    sendStudy(
        study,
        spec(
            new SchedulerSpec("asha", 1, 9, 3),
            new Budget(6, 2, 2),
            new Objective("val_accuracy", Goal.MAXIMIZE),
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE)));
    for (int i = 0; i < 6; i++) {
      sendTrial(study, TrialIds.trialId(study, i), i, Map.of("lr", 0.01 * (i + 1)));
    }
    segment(study, 0, 1, 1, 0.50);
    segment(study, 1, 1, 1, 0.70);
    segment(study, 2, 1, 1, 0.60); // n0 = 3: t1 (best) resumes, t2 parks
    segment(study, 2, 1, 1, 0.60); // redelivered: decides nothing
    segment(study, 1, 2, 3, 0.75);
    segment(study, 3, 1, 1, 0.90); // n0 = 4: t3 itself
    segment(study, 3, 2, 3, 0.95);
    segment(study, 4, 1, 1, 0.40);
    segment(study, 5, 1, 1, 0.80); // n0 = 6: top two are t3 (promoted) and t5
    segment(study, 5, 2, 3, 0.85); // n1 = 3: t3 goes on to 9, parked until now
    segment(study, 3, 4, 9, 0.97);

    List<String> expected =
        List.of(
            "park t0@0 1",
            "park t1@0 1",
            "promote t1@0 1->3",
            "park t2@0 1",
            "park t1@1 3",
            "promote t3@0 1->3",
            "park t3@1 3",
            "park t4@0 1",
            "promote t5@0 1->3",
            "promote t3@1 3->9",
            "park t5@1 3",
            "complete t3@2 9");
    try (KafkaTestClient.Tail tail = kafka.tail(Topics.DECISIONS)) {
      await()
          .atMost(PATIENCE)
          .until(() -> decisionsOf(tail.poll(), study).size() >= expected.size());
      List<RungDecision> decisions = decisionsOf(tail.poll(), study);
      assertThat(decisions.stream().map(ResultsStoreScenarios::show).toList())
          .containsExactlyElementsOf(expected);
      RungDecision resume = decisions.get(9);
      assertThat(resume.checkpointUri())
          .isEqualTo("file:///ckpt/" + TrialIds.trialId(study, 3) + "/3");
      assertThat(resume.metrics().valAccuracy()).isEqualTo(0.95);
      assertThat(resume.attempt()).isEqualTo(1);
    }

    JsonPath rungs =
        awaitJson("/v1/studies/" + study + "/rungs", j -> j.getInt("rungs[2].completed") == 1);
    assertThat(rungs.getString("scheduler")).isEqualTo("asha");
    assertThat(rungs.getList("epochs", Integer.class)).containsExactly(1, 3, 9);
    assertThat(rungs.getList("rungs.trials", Integer.class)).containsExactly(6, 3, 1);
    assertThat(rungs.getList("rungs.promoted", Integer.class)).containsExactly(3, 1, 0);
    assertThat(rungs.getList("rungs.parked", Integer.class)).containsExactly(3, 2, 0);
    assertThat(rungs.getList("rungs.running", Integer.class)).containsExactly(0, 0, 0);
    assertThat(rungs.getInt("brackets[0].created")).isEqualTo(6);
    JsonPath trials =
        given().get("/v1/studies/" + study + "/trials").then().statusCode(200).extract().jsonPath();
    assertThat(trials.getList("state", String.class))
        .containsExactly("parked", "parked", "parked", "completed", "parked", "parked");
    assertThat(trials.getList("rung", Integer.class)).containsExactly(0, 1, 0, 2, 0, 1);
    given()
        .get("/v1/studies/" + study)
        .then()
        .body("trials.parked", equalTo(5))
        .body("trials.completed", equalTo(1));
    best(study, "")
        .body("best.trialId", equalTo(TrialIds.trialId(study, 3)))
        .body("best.value", equalTo(0.97f));
    best(study, "?maxCost=5")
        .body("best", equalTo(null))
        .body("maxCost", equalTo(5.0f))
        .body(
            "reason",
            equalTo("none of the 1 completed trials cost at most 5.0 sgd_epoch_equivalents"));
    given()
        .get("/v1/studies/" + study + "/best?maxCost=-1")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("maxCost"))
        .body("errors[0].message", equalTo("must be at least 0, got -1"));
    given()
        .get("/v1/studies/" + study + "/best?maxCost=cheap")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("maxCost"));
    given()
        .get("/v1/studies/no-such-study/rungs")
        .then()
        .statusCode(404)
        .body("errors[0].field", equalTo("id"));
  }

  @Test
  void theTypedClientReadsEveryAnswerAsTheRecordsTheStoreWrites() {
    String study = newId("client");
    sendStudy(
        study,
        spec(
            new Objective("val_accuracy", Goal.MAXIMIZE),
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE)));
    double[][] finals = {{0.90, 4}, {0.80, 2}, {0.85, 5}};
    for (int i = 0; i < finals.length; i++) {
      String trial = TrialIds.trialId(study, i);
      sendTrial(study, trial, i, Map.of("lr", 0.1 * (i + 1), "variant", i == 1 ? "sgd" : "sam"));
      sendReport(report(study, trial, 1, 1, finals[i][0] - 0.1, finals[i][1] / 2, false));
      sendReport(report(study, trial, 1, 2, finals[i][0], finals[i][1], true));
    }
    awaitJson("/v1/studies/" + study, j -> j.getInt("trials.completed") == 3);
    StoreClient client =
        StoreClient.of("http://localhost:" + io.restassured.RestAssured.port, null);

    assertThat(client.studies()).extracting(StudySummary::id).contains(study);
    StudyDetail detail = client.study(study);
    assertThat(detail.trials().completed()).isEqualTo(3);
    assertThat(detail.reportsStored()).isEqualTo(6);
    assertThat(detail.spec().objectives()).hasSize(2);
    assertThat(detail.createdAt()).isNotNull();

    TrialPage first = client.trials(study, 2, null, null, TrialEpochs.LAST);
    assertThat(first.total()).isEqualTo(3);
    assertThat(first.trials()).extracting(TrialView::trialId).hasSize(2);
    assertThat(first.nextAfter()).isEqualTo(TrialIds.trialId(study, 1));
    assertThat(first.trials().get(0).epochs()).hasSize(1);
    List<TrialView> all = client.allTrials(study, TrialEpochs.ALL);
    assertThat(all).extracting(TrialView::number).containsExactly(0, 1, 2);
    assertThat(all.get(2).epochs()).extracting(EpochView::epoch).containsExactly(1, 2);
    assertThat(all.get(2).epochs().get(1).finalEpoch()).isTrue();
    assertThat(all.get(2).epochs().get(1).receivedAt()).isNotNull();
    assertThat(client.trial(study, TrialIds.trialId(study, 0)).params())
        .containsEntry("variant", "sam");
    assertThat(client.curve(study, TrialIds.trialId(study, 0)).points())
        .extracting(CurvePoint::valAccuracy)
        .containsExactly(0.8, 0.9);
    assertThat(client.curve(study, TrialIds.trialId(study, 0), 1).points())
        .extracting(CurvePoint::epoch, CurvePoint::valAccuracy)
        .containsExactly(tuple(2, 0.9));
    assertThat(client.curve(study, TrialIds.trialId(study, 0), 2).points()).isEmpty();
    assertThat(client.curve(study, TrialIds.trialId(study, 0), 0).points()).hasSize(2);
    given()
        .get("/v1/studies/" + study + "/trials/" + TrialIds.trialId(study, 0) + "/curve?after=-1")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("after"))
        .body("errors[0].message", startsWith("must be a non-negative integer"));
    given()
        .get("/v1/studies/" + study + "/trials/" + TrialIds.trialId(study, 0) + "/curve?after=two")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("after"));

    BestAnswer best = client.best(study);
    assertThat(best.best().trialId()).isEqualTo(TrialIds.trialId(study, 0));
    assertThat(best.best().value()).isEqualTo(0.9);
    BestAnswer capped = client.best(study, null, 3.0);
    assertThat(capped.maxCost()).isEqualTo(3.0);
    assertThat(capped.best().trialId()).isEqualTo(TrialIds.trialId(study, 1));
    assertThat(client.best(study, null, 1.0).best()).isNull();

    ParetoAnswer front = client.pareto(study, "sgd_epoch_equivalents", "val_accuracy");
    assertThat(front.x().goal()).isEqualTo(Goal.MINIMIZE);
    assertThat(front.front())
        .extracting(ParetoPoint::trialId)
        .containsExactly(TrialIds.trialId(study, 1), TrialIds.trialId(study, 0));
    assertThat(client.rungs(study).epochs()).isNotNull();
    assertThat(client.export(study))
        .extracting(ExportRow::valAccuracy)
        .containsExactly(0.9, 0.8, 0.85);
    assertThat(client.exportText(study, "csv")).startsWith("trial_id,");
    assertThat(client.importance(study, null).reason()).contains("at least");
    VariantsAnswer variants = client.variants(study);
    assertThat(variants.sgdBest().trialId()).isEqualTo(TrialIds.trialId(study, 1));
    assertThat(variants.variants())
        .extracting(VariantsAnswer.VariantRow::variant)
        .containsExactly("sgd", "sam");

    ApiException unknown =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ApiException.class, () -> client.best("no-such-study"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errors().errors()).extracting(FieldError::field).containsExactly("id");
    ApiException badObjective =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ApiException.class, () -> client.importance(study, "accuracy"));
    assertThat(badObjective.status()).isEqualTo(400);
    assertThat(badObjective.errors().errors())
        .extracting(FieldError::field)
        .containsExactly("objective");
  }

  @Test
  void theParetoFrontExportAndCostCappedBestOfCompletedTrials() {
    String study = newId("front");
    sendStudy(
        study,
        spec(
            new Objective("val_accuracy", Goal.MAXIMIZE),
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE)));
    double[][] finals = {
      {0.90, 4}, {0.80, 2}, {0.85, 5}, {0.70, 1}
    }; // (accuracy, cost): the third is dominated by the first
    for (int i = 0; i < finals.length; i++) {
      String trial = TrialIds.trialId(study, i);
      sendTrial(
          study, trial, i, Map.of("lr", 0.1 * (i + 1), "variant", i % 2 == 0 ? "sam" : "sgd"));
      sendReport(
          new EpochReport(
              1,
              study,
              trial,
              1,
              3,
              new Metrics(finals[i][0], 0.3, 0.2, 0.8),
              cost(finals[i][1]),
              "w",
              null,
              true));
    }
    awaitJson("/v1/studies/" + study, j -> j.getInt("trials.completed") == 4);

    // x = cost (minimised), y = accuracy (maximised), reference (6, 0.5):
    // (6−1)(0.7−0.5) + (6−2)(0.8−0.7) + (6−4)(0.9−0.8) = 1.0 + 0.4 + 0.2
    JsonPath front =
        given()
            .get(
                "/v1/studies/"
                    + study
                    + "/pareto?x=sgd_epoch_equivalents&y=val_accuracy&refX=6&refY=0.5")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(front.getString("basis")).isEqualTo("completed");
    assertThat(front.getInt("candidates")).isEqualTo(4);
    assertThat(front.getList("front.trialId", String.class))
        .containsExactly(
            TrialIds.trialId(study, 3), TrialIds.trialId(study, 1), TrialIds.trialId(study, 0));
    assertThat(front.getList("front.x", Float.class)).containsExactly(1f, 2f, 4f);
    assertThat(front.getDouble("hypervolume"))
        .isCloseTo(1.6, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(front.getList("referencePoint", Float.class)).containsExactly(6f, 0.5f);
    assertThat(front.getString("x.goal")).isEqualTo("minimize");
    assertThat(front.getString("y.goal")).isEqualTo("maximize");
    // Defaults: the study's objectives (accuracy, cost) and the nadir-plus-a-tenth reference point
    // (0.9 − 0.02·… ).
    JsonPath byDefault =
        given().get("/v1/studies/" + study + "/pareto").then().statusCode(200).extract().jsonPath();
    assertThat(byDefault.getString("x.name")).isEqualTo("val_accuracy");
    assertThat(byDefault.getList("front.trialId", String.class))
        .containsExactly(
            TrialIds.trialId(study, 3), TrialIds.trialId(study, 1), TrialIds.trialId(study, 0));
    // accuracy: worst 0.70, range 0.20 → 0.68; cost: worst 5, range 4 → 5.4
    assertThat(byDefault.getList("referencePoint", Double.class).get(0))
        .isCloseTo(0.68, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(byDefault.getList("referencePoint", Double.class).get(1))
        .isCloseTo(5.4, org.assertj.core.api.Assertions.within(1e-6));
    given()
        .get("/v1/studies/" + study + "/pareto?x=val_accuracy&y=val_accuracy")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("y"));
    given()
        .get("/v1/studies/" + study + "/pareto?x=speed")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("x"));
    given()
        .get("/v1/studies/" + study + "/pareto?refX=3")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("refY"));
    given().get("/v1/studies/no-such-study/pareto").then().statusCode(404);

    best(study, "?maxCost=3")
        .body("best.trialId", equalTo(TrialIds.trialId(study, 1)))
        .body("best.value", equalTo(0.80f));
    best(study, "?maxCost=4").body("best.trialId", equalTo(TrialIds.trialId(study, 0)));

    JsonPath rows =
        given()
            .get("/v1/studies/" + study + "/export")
            .then()
            .statusCode(200)
            .contentType(ContentType.JSON)
            .extract()
            .jsonPath();
    assertThat(rows.getList("trialId", String.class))
        .containsExactly(
            TrialIds.trialId(study, 0),
            TrialIds.trialId(study, 1),
            TrialIds.trialId(study, 2),
            TrialIds.trialId(study, 3));
    assertThat(rows.getList("sgdEpochEquivalents", Float.class)).containsExactly(4f, 2f, 5f, 1f);
    assertThat(rows.getList("rung", Integer.class)).containsExactly(0, 0, 0, 0);
    String csv =
        given()
            .get("/v1/studies/" + study + "/export?format=csv")
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .extract()
            .asString();
    String[] lines = csv.split("\r\n");
    assertThat(lines).hasSize(5);
    assertThat(lines[0])
        .isEqualTo(
            "trial_id,number,state,attempt,rung,epoch,param.lr,param.variant,val_accuracy,val_loss,train_loss,test_accuracy,sgd_epoch_equivalents,wall_seconds");
    assertThat(lines[2])
        .isEqualTo(
            TrialIds.trialId(study, 1) + ",1,completed,1,0,3,0.2,sgd,0.8,0.3,0.2,0.8,2.0,1.5");
    given()
        .get("/v1/studies/" + study + "/export?format=xml")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("format"));
  }

  // ---- helpers
  // ---------------------------------------------------------------------------------------------

  /**
   * GET /trials in pages: 230 trials (0–4 completed after 3 epochs, 5 running after 1), walked with
   * limit 7 through the Link headers, cover every trial exactly once in number order; the default
   * page is 100 trials; state, epochs and the bad values of each parameter.
   */
  @Test
  void pagesTrialsByNumberFollowingTheLinkHeader() {
    String study = newId("pages");
    int n = 230;
    sendStudy(
        study,
        spec(
            new SchedulerSpec("none", null, 3, null),
            new Budget(n, 8, 2),
            new Objective("val_accuracy", Goal.MAXIMIZE)));
    for (int first = 0; first < n; first += 100) {
      List<Map<String, Object>> params = new java.util.ArrayList<>();
      for (int k = first; k < Math.min(n, first + 100); k++) {
        params.add(Map.of("lr", 0.001 + k / 1000.0));
      }
      given()
          .contentType(ContentType.JSON)
          .body(Json.encode(new NewTrials(first, params)))
          .post("/v1/control/studies/" + study + "/trials")
          .then()
          .statusCode(201);
    }
    double[] finals = {0.70, 0.90, 0.80, 0.90, 0.60};
    for (int k = 0; k < finals.length; k++) {
      String trial = TrialIds.trialId(study, k);
      sendReport(report(study, trial, 1, 1, finals[k] - 0.2, 1.0 + k, false));
      sendReport(report(study, trial, 1, 2, finals[k] - 0.1, 2.0 + k, false));
      sendReport(report(study, trial, 1, 3, finals[k], 3.0 + k, true));
    }
    sendReport(report(study, TrialIds.trialId(study, 5), 1, 1, 0.5, 1.0, false));
    awaitJson("/v1/studies/" + study, j -> j.getLong("reportsStored") == 16);

    // the default page: 100 trials, a Link to the next, the total
    io.restassured.response.Response first = given().get("/v1/studies/" + study + "/trials");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.jsonPath().getList("trialId")).hasSize(100);
    assertThat(first.header("X-Total-Count")).isEqualTo(String.valueOf(n));
    assertThat(first.header("Link"))
        .contains("rel=\"next\"")
        .contains("after=" + TrialIds.trialId(study, 99));

    // the walk: every trial once, by number, the last page without a Link
    List<String> seen = new java.util.ArrayList<>();
    String url = "/v1/studies/" + study + "/trials?limit=7";
    int pages = 0;
    while (url != null) {
      io.restassured.response.Response page = given().urlEncodingEnabled(false).get(url);
      assertThat(page.statusCode()).isEqualTo(200);
      List<String> ids = page.jsonPath().getList("trialId");
      assertThat(ids.size()).isBetween(1, 7);
      seen.addAll(ids);
      pages++;
      String link = page.header("Link");
      url = null;
      if (link != null) {
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(link);
        assertThat(m.find()).as("Link %s", link).isTrue();
        java.net.URI next = java.net.URI.create(m.group(1));
        url = next.getRawPath() + "?" + next.getRawQuery();
      }
    }
    assertThat(pages).isEqualTo((n + 6) / 7);
    assertThat(seen)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, n)
                .mapToObj(k -> TrialIds.trialId(study, k))
                .toList());

    // epochs: all by default (by epoch), last (the last epoch only), none
    JsonPath all = given().get("/v1/studies/" + study + "/trials?limit=2").jsonPath();
    assertThat(all.getList("[1].epochs.epoch")).containsExactly(1, 2, 3);
    JsonPath last = given().get("/v1/studies/" + study + "/trials?limit=6&epochs=last").jsonPath();
    assertThat(last.getList("[1].epochs.epoch")).containsExactly(3);
    assertThat(last.getDouble("[1].epochs[0].metrics.valAccuracy")).isEqualTo(0.90);
    assertThat(last.getList("[5].epochs.epoch")).containsExactly(1);
    JsonPath none = given().get("/v1/studies/" + study + "/trials?limit=3&epochs=none").jsonPath();
    assertThat(none.getList("[0].epochs")).isEmpty();
    assertThat(none.getInt("[0].lastEpoch")).isEqualTo(3);

    // state: only the completed trials, with their own total; after a trial of another state
    io.restassured.response.Response completed =
        given().get("/v1/studies/" + study + "/trials?state=completed&limit=3");
    assertThat(completed.jsonPath().getList("number")).containsExactly(0, 1, 2);
    assertThat(completed.header("X-Total-Count")).isEqualTo("5");
    assertThat(completed.header("Link")).contains("state=completed");
    assertThat(
            given()
                .get(
                    "/v1/studies/"
                        + study
                        + "/trials?state=completed&after="
                        + TrialIds.trialId(study, 2))
                .jsonPath()
                .getList("number"))
        .containsExactly(3, 4);
    assertThat(
            given()
                .get("/v1/studies/" + study + "/trials?state=running&limit=2")
                .jsonPath()
                .getList("number"))
        .containsExactly(5, 6);

    // best over the completed trials: 0.90 first reached by trial 1 (trial 3 ties, later)
    best(study, "")
        .body("best.trialId", equalTo(TrialIds.trialId(study, 1)))
        .body("best.value", equalTo(0.90f));
    best(study, "?goal=minimize").body("best.trialId", equalTo(TrialIds.trialId(study, 4)));
    best(study, "?maxCost=5.5").body("best.trialId", equalTo(TrialIds.trialId(study, 1)));
    best(study, "?maxCost=3.5").body("best.trialId", equalTo(TrialIds.trialId(study, 0)));
    best(study, "?maxCost=2")
        .body("best", org.hamcrest.Matchers.nullValue())
        .body(
            "reason",
            equalTo("none of the 5 completed trials cost at most 2.0 sgd_epoch_equivalents"));

    // bad parameters: 400 naming the parameter and its rule
    for (String[] bad :
        new String[][] {
          {"limit=0", "limit", "must be an integer from 1 to 1000, got 0"},
          {"limit=1001", "limit", "must be an integer from 1 to 1000, got 1001"},
          {"limit=ten", "limit", "must be an integer from 1 to 1000, got 'ten'"},
          {"after=nope", "after", "must be the id of a trial of study '" + study + "'"},
          {
            "state=done",
            "state",
            "unknown trial state 'done': one of [running, parked, completed, failed]"
          },
          {"epochs=some", "epochs", "unknown value 'some': one of [all, last, none]"}
        }) {
      given()
          .get("/v1/studies/" + study + "/trials?" + bad[0])
          .then()
          .statusCode(400)
          .body("errors[0].field", equalTo(bad[1]))
          .body("errors[0].message", startsWith(bad[2]));
    }
    given().get("/v1/studies/no-such-study/trials?limit=5").then().statusCode(404);
  }

  private static String newId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static StudySpec spec(Objective... objectives) {
    return new StudySpec(
        "fmnist-test",
        new DatasetSpec("synthetic", null, 0.1, null, 100, 20),
        "mlp",
        List.of(objectives),
        List.of(ParamSpec.floatParam("lr", 0.001, 1.0, true)),
        Map.of("batch-size", 128),
        new SamplerSpec("random", 7L, null),
        new SchedulerSpec("none", null, 3, null),
        new Budget(4, 2, 2),
        1L);
  }

  private static StudySpec spec(SchedulerSpec scheduler, Budget budget, Objective... objectives) {
    StudySpec base = spec(objectives);
    return new StudySpec(
        base.name(),
        base.dataset(),
        base.model(),
        base.objectives(),
        base.space(),
        base.fixed(),
        base.sampler(),
        scheduler,
        budget,
        base.seed());
  }

  /**
   * The report a worker sends at the end of a segment's last epoch (earlier epochs add nothing to
   * decide).
   */
  private static void segment(
      String study, int number, int fromEpoch, int toEpoch, double accuracy) {
    String trial = TrialIds.trialId(study, number);
    for (int e = fromEpoch; e <= toEpoch; e++) {
      sendReport(
          new EpochReport(
              1,
              study,
              trial,
              1,
              e,
              new Metrics(accuracy, 1 - accuracy, 0.3, null),
              cost(e),
              "worker-1",
              "file:///ckpt/" + trial + "/" + e,
              e == 9));
    }
  }

  private static List<RungDecision> decisionsOf(
      List<ConsumerRecord<String, byte[]>> records, String studyId) {
    return decode(records, RungDecision.class).stream()
        .filter(d -> d.studyId().equals(studyId))
        .toList();
  }

  private static String show(RungDecision d) {
    String trial = "t" + Integer.parseInt(d.trialId().substring(d.trialId().lastIndexOf("-t") + 2));
    return d.action().wireName()
        + " "
        + trial
        + "@"
        + d.rung()
        + " "
        + d.epoch()
        + (d.toEpoch() == null ? "" : "->" + d.toEpoch());
  }

  private static Cost cost(double sgdEpochs) {
    return new Cost(100, 100, 6400, 1.0, 1.5, sgdEpochs);
  }

  private static EpochReport report(
      String study,
      String trial,
      int attempt,
      int epoch,
      double valAccuracy,
      double sgdEpochs,
      boolean last) {
    return new EpochReport(
        1,
        study,
        trial,
        attempt,
        epoch,
        new Metrics(valAccuracy, 1 - valAccuracy, 0.3, null),
        cost(sgdEpochs),
        "worker-1",
        "file:///ckpt/" + trial + "/" + epoch,
        last);
  }

  static void sendStudy(String study, StudySpec spec) {
    given()
        .contentType(ContentType.JSON)
        .body(Json.encode(new CreateStudy(study, spec, 1_767_323_045_000L)))
        .post("/v1/control/studies")
        .then()
        .statusCode(201);
  }

  private static void sendTrial(
      String study, String trial, int number, Map<String, Object> params) {
    assertThat(trial).isEqualTo(TrialIds.trialId(study, number));
    given()
        .contentType(ContentType.JSON)
        .body(Json.encode(new NewTrials(number, List.of(params))))
        .post("/v1/control/studies/" + study + "/trials")
        .then()
        .statusCode(201);
  }

  private static void sendReport(io.sharpsweep.protocol.messages.ReportMessage message) {
    kafka.send(Topics.REPORTS, message.trialId(), Json.encode(message));
  }

  private static io.restassured.response.ValidatableResponse best(String study, String query) {
    return given().get("/v1/studies/" + study + "/best" + query).then().statusCode(200);
  }

  /**
   * Polls a GET until it answers 200 with a body that satisfies {@code ready}, and returns that
   * body.
   */
  private static JsonPath awaitJson(String path, java.util.function.Predicate<JsonPath> ready) {
    JsonPath[] seen = new JsonPath[1];
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              var response = given().get(path);
              if (response.statusCode() != 200) {
                return false;
              }
              seen[0] = response.jsonPath();
              return ready.test(seen[0]);
            });
    return seen[0];
  }

  private static <T extends DecisionMessage> List<T> decode(
      List<ConsumerRecord<String, byte[]>> records, Class<T> type) {
    return records.stream()
        .map(r -> Json.decode(r.value(), DecisionMessage.class))
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private static List<StudyProgress> progress(
      List<ConsumerRecord<String, byte[]>> records, String studyId) {
    return decode(records, StudyProgress.class).stream()
        .filter(p -> p.studyId().equals(studyId))
        .toList();
  }

  private static List<RungDecision> rungDecisions(
      List<ConsumerRecord<String, byte[]>> records, String trialId) {
    return decode(records, RungDecision.class).stream()
        .filter(d -> d.trialId().equals(trialId))
        .toList();
  }

  private static Optional<ConsumerRecord<String, byte[]>> deadLetter(
      List<ConsumerRecord<String, byte[]>> records, byte[] value) {
    return records.stream().filter(r -> java.util.Arrays.equals(r.value(), value)).findFirst();
  }

  static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
