package io.sharpsweep.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.messages.TrialFailed;
import io.sharpsweep.protocol.study.DatasetSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker through a real broker: assignments in, epoch reports / failures / dead letters out.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class AssignmentConsumerTest {
  private static final DatasetSpec TINY = new DatasetSpec("synthetic", null, 0.1, null, 320, 50);
  private static final Map<String, Object> CONFIG =
      Map.of("variant", "sgd", "lr", 0.05, "batch-size", 32);
  private static final Duration WAIT = Duration.ofSeconds(90);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private KafkaProducer<String, byte[]> producer;
  private KafkaConsumer<String, byte[]> consumer;
  private final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect() {
    KafkaBrokerResource.shared()
        .createTopics(Map.of(Topics.ASSIGNMENTS, 1, Topics.REPORTS, 1, Topics.DEAD_LETTER, 1));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        List.of(new TopicPartition(Topics.REPORTS, 0), new TopicPartition(Topics.DEAD_LETTER, 0));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  @AfterEach
  void disconnect() {
    producer.close();
    consumer.close();
  }

  private static SegmentAssignment assignment(String trialId, String model) {
    return new SegmentAssignment(
        SchemaVersion.CURRENT, "study-q", trialId, 0, CONFIG, 0, 2, 2, null, TINY, model, 5L);
  }

  private void publish(String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(Topics.ASSIGNMENTS, key, value)).get();
  }

  private void poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
  }

  private List<ReportMessage> reportsOf(String trialId) {
    poll();
    List<ReportMessage> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : seen) {
      if (r.topic().equals(Topics.REPORTS) && trialId.equals(r.key())) {
        out.add(Json.decode(r.value(), ReportMessage.class));
      }
    }
    return out;
  }

  @Test
  void trainsTheSegmentAndReportsEveryEpoch() throws Exception {
    String trialId = "trial-" + UUID.randomUUID();
    publish(trialId, Json.encode(assignment(trialId, "mlp")));

    List<ReportMessage> reports =
        await().atMost(WAIT).until(() -> reportsOf(trialId), r -> r.size() >= 2);
    assertThat(reports).hasSize(2).allMatch(r -> r instanceof EpochReport);
    EpochReport e1 = (EpochReport) reports.get(0);
    EpochReport e2 = (EpochReport) reports.get(1);
    assertThat(List.of(e1.epoch(), e2.epoch())).containsExactly(1, 2);
    assertThat(e1.finalEpoch()).isFalse();
    assertThat(e2.finalEpoch()).isTrue();
    assertThat(e2.workerId()).isEqualTo("test-worker");
    assertThat(e2.checkpointUri()).startsWith("file:").endsWith("/study-q/" + trialId + "/epoch-2");
    assertThat(e2.cost().examplesBackward()).isGreaterThan(e1.cost().examplesBackward());
    assertThat(e2.cost().forwardPasses()).isGreaterThan(e1.cost().forwardPasses());
    assertThat(e2.cost().wallSeconds()).isGreaterThan(e1.cost().wallSeconds());
    assertThat(e1.cost().sgdEpochEquivalents()).isEqualTo(1.0);
    assertThat(e2.cost().sgdEpochEquivalents()).isEqualTo(2.0);
    assertThat(e1.metrics().testAccuracy()).isNull();
    assertThat(e2.metrics().testAccuracy()).isNotNull();
    assertThat(e2.metrics().valAccuracy()).isGreaterThan(0.1);

    // The same assignment again (at-least-once delivery): not retrained, the stored reports are
    // re-sent as they were.
    publish(trialId, Json.encode(assignment(trialId, "mlp")));
    List<ReportMessage> all =
        await().atMost(WAIT).until(() -> reportsOf(trialId), r -> r.size() >= 4);
    assertThat(all).hasSize(4);
    assertThat(all.subList(2, 4)).containsExactly(e1, e2);
  }

  @Test
  void garbageGoesToTheDeadLetterTopicAndTheNextAssignmentIsStillTrained() throws Exception {
    String junkKey = "junk-" + UUID.randomUUID();
    byte[] junk = "{not an assignment".getBytes(StandardCharsets.UTF_8);
    publish(junkKey, junk);
    String trialId = "trial-" + UUID.randomUUID();
    publish(trialId, Json.encode(assignment(trialId, "mlp")));

    ConsumerRecord<String, byte[]> dead =
        await()
            .atMost(WAIT)
            .until(
                () -> {
                  poll();
                  return seen.stream()
                      .filter(r -> r.topic().equals(Topics.DEAD_LETTER) && junkKey.equals(r.key()))
                      .findFirst()
                      .orElse(null);
                },
                r -> r != null);
    assertThat(dead.value()).isEqualTo(junk);
    Header reason = dead.headers().lastHeader("dead-letter-reason");
    assertThat(reason).isNotNull();
    assertThat(new String(reason.value(), StandardCharsets.UTF_8))
        .contains("not a valid SegmentAssignment");
    assertThat(
            new String(
                dead.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8))
        .isEqualTo(Topics.ASSIGNMENTS);

    List<ReportMessage> reports =
        await().atMost(WAIT).until(() -> reportsOf(trialId), r -> r.size() >= 2);
    assertThat(reports).extracting(r -> ((EpochReport) r).epoch()).containsExactly(1, 2);
  }

  @Test
  void anInvalidEnvelopeIsDeadLetteredAndAnUnavailableModelIsAFailedTrial() throws Exception {
    String badKey = "bad-" + UUID.randomUUID();
    SegmentAssignment backwards =
        new SegmentAssignment(
            SchemaVersion.CURRENT, "study-q", badKey, 0, CONFIG, 2, 1, 2, null, TINY, "mlp", 1L);
    publish(badKey, Json.encode(backwards));
    String trialId = "trial-" + UUID.randomUUID();
    publish(trialId, Json.encode(assignment(trialId, "vgg")));

    List<ReportMessage> reports =
        await().atMost(WAIT).until(() -> reportsOf(trialId), r -> !r.isEmpty());
    assertThat(reports).singleElement().isInstanceOf(TrialFailed.class);
    TrialFailed failed = (TrialFailed) reports.get(0);
    assertThat(failed.reason()).contains("model 'vgg' is unknown");
    assertThat(failed.workerId()).isEqualTo("test-worker");
    assertThat(failed.fromEpoch()).isZero();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              poll();
              return seen.stream()
                  .anyMatch(r -> r.topic().equals(Topics.DEAD_LETTER) && badKey.equals(r.key()));
            });
  }

  @Test
  void healthAndMetricsDescribeTheWorker() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.name", hasItem("training-engine"))
        .body(containsString("PyTorch 2.7.1"));
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("sharpsweep_worker_training_images_per_second"));
  }
}
