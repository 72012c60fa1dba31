package io.sharpsweep.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sharpsweep.kafka.KafkaBroker;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.DecisionMessage;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.study.Budget;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.study.SchedulerSpec;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.TrialIds;
import io.sharpsweep.store.ingest.ReportConsumer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Batched ingestion: one batch mixing valid reports, undecodable and invalid records, and records
 * the known state refuses stores exactly the valid ones, dead-letters exactly the others (each
 * alone, with its reason), and publishes one decision per decisive report; the same batch consumed
 * again stores and decides nothing more.
 *
 * <p>The batch is real: its records are produced to a topic of this test and read back with a real
 * consumer as one {@link ConsumerRecords}, which is handed to the store's own {@link
 * ReportConsumer} (the store's channel does not read that topic, so nothing else sees them). The
 * second test sends such a mix through {@code sharpsweep.reports} itself.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class BatchIngestionTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Inject ReportConsumer consumer;

  private record Mix(List<byte[]> values, List<String> keys, List<Integer> bad) {}

  /** Nine records: five valid reports (two of them final), four bad ones at 1, 3, 5 and 6. */
  private static Mix mix(String study) {
    String t0 = TrialIds.trialId(study, 0);
    String t1 = TrialIds.trialId(study, 1);
    String t2 = TrialIds.trialId(study, 2);
    String stranger = TrialIds.trialId(study, 9);
    String otherStudy = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
    List<byte[]> values =
        List.of(
            Json.encode(report(study, t0, 1, false)),
            "{not json".getBytes(StandardCharsets.UTF_8),
            Json.encode(report(study, t0, 2, true)),
            Json.encode(report(study, stranger, 1, false)),
            Json.encode(report(study, t1, 1, false)),
            Json.encode(report(otherStudy, TrialIds.trialId(otherStudy, 0), 1, false)),
            Json.encode(report(study, t1, -1, false)),
            Json.encode(report(study, t1, 2, true)),
            Json.encode(report(study, t2, 1, false)));
    List<String> keys = List.of(t0, t0, t0, stranger, t1, "x", t1, t1, t2);
    return new Mix(values, keys, List.of(1, 3, 5, 6));
  }

  @Test
  void aMixedBatchStoresTheValidDeadLettersTheBadAndDecidesOncePerDecisiveReport() {
    String study = newStudy();
    Mix mix = mix(study);
    String topic = "batch-test-" + UUID.randomUUID().toString().substring(0, 8);
    ConsumerRecords<String, byte[]> batch = produceAndReadBack(topic, mix);
    assertThat(batch.count()).isEqualTo(9);
    try (KafkaTestClient kafka = new KafkaTestClient();
        KafkaTestClient.Tail deadLetters = kafka.tail(Topics.DEAD_LETTER);
        KafkaTestClient.Tail decisions = kafka.tail(Topics.DECISIONS)) {
      consumer.consume(batch);
      // consume returns after the commit, the decisions and the dead letters were acknowledged
      assertStored(study);
      List<ConsumerRecord<String, byte[]>> copies = copiesOf(deadLetters, topic, 4);
      assertThat(copies)
          .extracting(r -> Long.parseLong(header(r, "dead-letter-offset")))
          .containsExactlyInAnyOrder(1L, 3L, 5L, 6L);
      for (ConsumerRecord<String, byte[]> copy : copies) {
        int offset = Integer.parseInt(header(copy, "dead-letter-offset"));
        assertThat(copy.value()).isEqualTo(mix.values().get(offset));
        assertThat(header(copy, "dead-letter-partition")).isEqualTo("0");
        assertThat(header(copy, "dead-letter-original-size"))
            .isEqualTo(Integer.toString(mix.values().get(offset).length));
        assertThat(header(copy, "dead-letter-original-sha256"))
            .isEqualTo(ResultsStoreScenarios.sha256(mix.values().get(offset)));
        String reason = header(copy, "dead-letter-reason");
        switch (offset) {
          case 1 -> assertThat(reason).startsWith("not a valid ReportMessage");
          case 3 ->
              assertThat(reason)
                  .isEqualTo(
                      "unknown trial '"
                          + TrialIds.trialId(study, 9)
                          + "' in study '"
                          + study
                          + "'");
          case 5 -> assertThat(reason).startsWith("unknown study 'nobody-");
          default -> assertThat(reason).contains("epoch: must be at least 1");
        }
      }
      List<RungDecision> decided = decisionsOf(decisions, study, 2);
      assertThat(decided)
          .extracting(d -> d.trialId() + " " + d.action().wireName() + " " + d.epoch())
          .containsExactlyInAnyOrder(
              TrialIds.trialId(study, 0) + " complete 2",
              TrialIds.trialId(study, 1) + " complete 2");

      // redelivered: the same batch again stores nothing twice and decides nothing again
      consumer.consume(batch);
      assertStored(study);
      copiesOf(deadLetters, topic, 8);
      assertThat(decisionsOf(decisions, study, 2)).hasSize(2);
      given()
          .get("/v1/studies/" + study)
          .then()
          .statusCode(200)
          .body("reportsStored", org.hamcrest.Matchers.equalTo(5));
    }
  }

  @Test
  void aMixSentThroughTheReportsTopicEndsTheSameAndConsumptionGoesOn() {
    String study = newStudy();
    Mix mix = mix(study);
    try (KafkaTestClient kafka = new KafkaTestClient();
        KafkaTestClient.Tail deadLetters = kafka.tail(Topics.DEAD_LETTER);
        KafkaTestClient.Tail decisions = kafka.tail(Topics.DECISIONS)) {
      try (KafkaProducer<String, byte[]> producer = producer()) {
        for (int i = 0; i < mix.values().size(); i++) {
          producer.send(
              new ProducerRecord<>(Topics.REPORTS, mix.keys().get(i), mix.values().get(i)));
        }
        producer.flush();
      }
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                List<ConsumerRecord<String, byte[]>> all = deadLetters.poll();
                return mix.bad().stream()
                    .allMatch(
                        i ->
                            all.stream()
                                .anyMatch(r -> Arrays.equals(r.value(), mix.values().get(i))));
              });
      assertStored(study);
      assertThat(decisionsOf(decisions, study, 2)).hasSize(2);
    }
  }

  private static void assertStored(String study) {
    JsonPath trials =
        awaitJson(
            "/v1/studies/" + study + "/trials",
            j ->
                j.getList("find { it.number == 0 }.epochs").size() == 2
                    && j.getList("find { it.number == 1 }.epochs").size() == 2
                    && j.getList("find { it.number == 2 }.epochs").size() == 1);
    assertThat(trials.getList("find { it.number == 0 }.epochs.epoch", Integer.class))
        .containsExactly(1, 2);
    assertThat(trials.getList("find { it.number == 1 }.epochs.epoch", Integer.class))
        .containsExactly(1, 2);
    assertThat(trials.getList("find { it.number == 2 }.epochs.epoch", Integer.class))
        .containsExactly(1);
    assertThat(trials.getString("find { it.number == 0 }.state")).isEqualTo("completed");
    assertThat(trials.getString("find { it.number == 1 }.state")).isEqualTo("completed");
    assertThat(trials.getString("find { it.number == 2 }.state")).isEqualTo("running");
    assertThat(trials.getList("number")).hasSize(3);
  }

  /** The dead-letter copies of records of {@code topic}, once there are {@code n} of them. */
  private static List<ConsumerRecord<String, byte[]>> copiesOf(
      KafkaTestClient.Tail tail, String topic, int n) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              out.clear();
              tail.poll().stream()
                  .filter(r -> topic.equals(header(r, "dead-letter-topic")))
                  .forEach(out::add);
              return out.size() >= n;
            });
    assertThat(out).hasSize(n);
    return out;
  }

  private static List<RungDecision> decisionsOf(KafkaTestClient.Tail tail, String study, int n) {
    List<RungDecision> out = new ArrayList<>();
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              out.clear();
              for (ConsumerRecord<String, byte[]> r : tail.poll()) {
                if (Json.decode(r.value(), DecisionMessage.class) instanceof RungDecision d
                    && d.studyId().equals(study)) {
                  out.add(d);
                }
              }
              return out.size() >= n;
            });
    // one more look: nothing beyond the expected ones follows
    tail.poll();
    return out;
  }

  private static ConsumerRecords<String, byte[]> produceAndReadBack(String topic, Mix mix) {
    String bootstrap = bootstrap();
    KafkaBroker.createTopics(bootstrap, Map.of(topic, 1));
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < mix.values().size(); i++) {
        producer.send(new ProducerRecord<>(topic, mix.keys().get(i), mix.values().get(i)));
      }
      producer.flush();
    }
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                c.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= mix.values().size();
              });
      return new ConsumerRecords<>(Map.of(tp, read), Map.of());
    }
  }

  private static KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static String bootstrap() {
    return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
  }

  /** A running study (scheduler none, 2 epochs) with trials 0, 1 and 2, as the scheduler makes. */
  private static String newStudy() {
    String study = "batch-" + UUID.randomUUID().toString().substring(0, 8);
    StudySpec spec =
        new StudySpec(
            "batch-test",
            new DatasetSpec("synthetic", null, 0.1, null, 100, 20),
            "mlp",
            List.of(new Objective("val_accuracy", Goal.MAXIMIZE)),
            List.of(ParamSpec.floatParam("lr", 0.001, 1.0, true)),
            Map.of("batch-size", 128),
            new SamplerSpec("random", 7L, null),
            new SchedulerSpec("none", null, 2, null),
            new Budget(3, 3, 2),
            1L);
    given()
        .contentType(ContentType.JSON)
        .body(Json.encode(new CreateStudy(study, spec, 1_767_323_045_000L)))
        .post("/v1/control/studies")
        .then()
        .statusCode(201);
    given()
        .contentType(ContentType.JSON)
        .body(
            Json.encode(
                new NewTrials(0, List.of(Map.of("lr", 0.1), Map.of("lr", 0.2), Map.of("lr", 0.3)))))
        .post("/v1/control/studies/" + study + "/trials")
        .then()
        .statusCode(201);
    return study;
  }

  private static EpochReport report(String study, String trial, int epoch, boolean last) {
    return new EpochReport(
        1,
        study,
        trial,
        1,
        epoch,
        new Metrics(0.5 + 0.1 * Math.max(0, epoch), 0.5, 0.3, null),
        new Cost(100, 100, 6400, 0.0, 1.5, Math.max(0, epoch)),
        "worker-1",
        "file:///ckpt/" + trial + "/" + epoch,
        last);
  }

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
              try {
                return ready.test(seen[0]);
              } catch (RuntimeException e) {
                return false;
              }
            });
    return seen[0];
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
