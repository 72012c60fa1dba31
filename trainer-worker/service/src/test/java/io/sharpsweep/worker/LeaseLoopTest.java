package io.sharpsweep.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.kafka.KafkaBroker;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.control.Heartbeat;
import io.sharpsweep.protocol.control.LeaseEnd;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.FakeControlPlane.Call;
import io.sharpsweep.worker.engine.CheckpointStore;
import jakarta.inject.Inject;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The worker end to end: segments leased from a fake results-store control API, trained for real
 * (DJL, synthetic data), reports through a real broker, heartbeats, lost leases, failures, and the
 * hand-back on shutdown (which stops the loop, so it runs last).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeControlPlane.Resource.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseLoopTest {
  /** 2,700 training examples (batch 32: 85 iterations per epoch), 300 validation, 100 test. */
  private static final DatasetSpec DATA = new DatasetSpec("synthetic", null, 0.1, null, 3000, 100);

  private static final Map<String, Object> CONFIG =
      Map.of("variant", "sgd", "lr", 0.05, "batch-size", 32);
  private static final Duration WAIT = Duration.ofSeconds(120);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject LeaseLoop loop;
  @Inject WorkerMetrics metrics;

  private final FakeControlPlane store = FakeControlPlane.shared();
  private KafkaConsumer<String, byte[]> consumer;
  private final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect() {
    KafkaBroker.createTopics(KafkaBrokerResource.bootstrapServers(), Map.of(Topics.REPORTS, 1));
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = List.of(new TopicPartition(Topics.REPORTS, 0));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    // Every test starts with an idle worker.
    await().atMost(WAIT).until(() -> loop.current() == null);
  }

  @AfterEach
  void disconnect() {
    consumer.close();
  }

  private static SegmentAssignment segment(String trialId, int from, int to, int max) {
    return new SegmentAssignment(
        SchemaVersion.CURRENT, "study-l", trialId, 0, CONFIG, from, to, max, null, DATA, "mlp", 5L);
  }

  private static String newId(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** The trial's records among everything the topic holds now (every acknowledged report). */
  private List<ConsumerRecord<String, byte[]>> recordsOf(String trialId) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    await()
        .atMost(WAIT)
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
              return end.entrySet().stream()
                  .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
    return seen.stream().filter(r -> trialId.equals(r.key())).toList();
  }

  private List<EpochReport> reportsOf(String trialId) {
    List<EpochReport> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : recordsOf(trialId)) {
      out.add((EpochReport) Json.decode(r.value(), ReportMessage.class));
    }
    return out;
  }

  private static List<Integer> epochs(List<EpochReport> reports) {
    return reports.stream().map(EpochReport::epoch).toList();
  }

  @Test
  @Order(1)
  void aLeasedSegmentIsTrainedReportedHeartbeatedAndCompleted() {
    String trialId = newId("trial");
    String leaseId = newId("lease");
    double completedBefore = metrics.leaseCount("completed");
    store.offer(leaseId, segment(trialId, 0, 6, 6), 3000, 150);

    Call complete =
        await()
            .atMost(WAIT)
            .until(() -> store.calls(leaseId, "complete"), c -> !c.isEmpty())
            .get(0);
    LeaseEnd end = complete.end();
    assertThat(end.workerId()).isEqualTo("test-worker");
    assertThat(end.epoch()).isEqualTo(6);
    assertThat(end.checkpointUri())
        .startsWith("file:")
        .endsWith("/study-l/" + trialId + "/epoch-6");
    assertThat(end.reason()).isNull();
    assertThat(store.ends(leaseId)).hasSize(1);

    // Completed only after the broker acknowledged every report: all six are on the topic.
    List<EpochReport> reports = reportsOf(trialId);
    assertThat(epochs(reports)).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(reports).allMatch(r -> leaseId.equals(r.leaseId()), "names its lease");
    assertThat(reports.get(5).finalEpoch()).isTrue();
    assertThat(reports.get(4).finalEpoch()).isFalse();
    assertThat(reports.get(5).checkpointUri()).isEqualTo(end.checkpointUri());
    assertThat(reports.get(5).metrics().testAccuracy()).isNotNull();
    assertThat(reports.get(5).metrics().valAccuracy()).isGreaterThan(0.5);
    assertThat(reports.get(5).cost().sgdEpochEquivalents()).isEqualTo(6.0);

    // Heartbeats every 150 ms from the grant to the end, carrying the last reported epoch, and one
    // more as soon as each epoch's report is acknowledged.
    List<Call> beats = store.calls(leaseId, "heartbeat");
    long granted = store.grantedAtNanos(leaseId);
    double seconds = (complete.atNanos() - granted) / 1e9;
    assertThat(beats.size())
        .as("heartbeats in %.2f s", seconds)
        .isBetween((int) (seconds / 0.15 * 0.6) - 1, (int) (seconds / 0.15) + 1 + 6);
    assertThat(beats.size()).isGreaterThanOrEqualTo(3);
    List<Heartbeat> hb = beats.stream().map(Call::heartbeat).toList();
    assertThat(hb).allMatch(h -> h.workerId().equals("test-worker"));
    List<Integer> progress = hb.stream().map(Heartbeat::epoch).filter(e -> e != null).toList();
    assertThat(progress).isSorted().isNotEmpty().allMatch(e -> e >= 1 && e <= 6);
    // Each epoch's progress reaches the store: epochs 1-5 in renewals while the next epoch trains,
    // the last one in the complete call (a renewal after its acknowledgement may race the
    // complete).
    assertThat(progress)
        .as("every epoch's progress before the last is sent in a renewal")
        .containsAll(List.of(1, 2, 3, 4, 5));
    Heartbeat withProgress = hb.stream().filter(h -> h.epoch() != null).findFirst().orElseThrow();
    assertThat(withProgress.checkpointUri())
        .endsWith("/study-l/" + trialId + "/epoch-" + withProgress.epoch());
    assertThat(metrics.leaseCount("completed")).isEqualTo(completedBefore + 1);
  }

  @Test
  @Order(0)
  void theNextSegmentIsLeasedAheadHeartbeatedAlongsideAndStartedWhenTheCurrentOneEndsTraining() {
    String trialA = newId("trial");
    String trialB = newId("trial");
    String leaseA = newId("lease");
    String leaseB = newId("lease");
    // The idle worker's long poll takes A; B stays queued until the worker asks ahead (lease-ahead
    // 5 s by default: as soon as A's first epoch tells how long the rest takes).
    store.offer(leaseA, segment(trialA, 0, 6, 6), 3000, 150);
    store.offer(leaseB, segment(trialB, 0, 2, 2), 3000, 150);

    Call completeB =
        await().atMost(WAIT).until(() -> store.calls(leaseB, "complete"), c -> !c.isEmpty()).get(0);
    Call completeA = store.calls(leaseA, "complete").get(0);
    long grantedA = store.grantedAtNanos(leaseA);
    long grantedB = store.grantedAtNanos(leaseB);
    assertThat(grantedB).as("B granted while A trained").isLessThan(completeA.atNanos());
    List<FakeControlPlane.Asked> asked =
        store.asked().stream()
            .filter(a -> a.atNanos() > grantedA && a.atNanos() < completeB.atNanos())
            .toList();
    assertThat(asked)
        .as("from A's grant to B's end, no lease request of an idle worker")
        .allMatch(a -> a.request().asksAhead());
    assertThat(asked)
        .filteredOn(a -> a.atNanos() < grantedB)
        .as("one request ahead brought B")
        .extracting(a -> a.request().workerId() + " " + a.request().asksAhead())
        .containsExactly("test-worker true");
    // Both leases renewed while both were held: B from its grant, A until its end.
    List<Call> beatsB = store.calls(leaseB, "heartbeat");
    assertThat(beatsB)
        .filteredOn(c -> c.atNanos() < completeA.atNanos())
        .as("B renewed while held ahead")
        .isNotEmpty()
        .allMatch(c -> c.heartbeat().epoch() == null, "no progress before B starts");
    assertThat(store.calls(leaseA, "heartbeat"))
        .filteredOn(c -> c.atNanos() > grantedB && c.atNanos() < completeA.atNanos())
        .as("A renewed while B was held")
        .isNotEmpty();
    // B's renewals say it is not started while held, then, from one sent as it starts (before its
    // first epoch ends), that it is.
    List<Boolean> started = beatsB.stream().map(c -> c.heartbeat().started()).toList();
    int firstStarted = started.indexOf(true);
    assertThat(firstStarted).as("B's renewals held ahead, then started: %s", started).isPositive();
    assertThat(started.subList(0, firstStarted)).containsOnly(false);
    assertThat(started.subList(firstStarted, started.size())).containsOnly(true);
    Call startedB = beatsB.get(firstStarted);
    assertThat(startedB.heartbeat().epoch()).isNull();
    assertThat(startedB.atNanos())
        .as("sent as B starts, as A's complete is")
        .isBetween(completeA.atNanos() - 1_000_000_000L, completeA.atNanos() + 1_000_000_000L);
    // B trained once A's training ended (A's complete follows its last acknowledgement on another
    // thread): B's progress comes after its start, and it completes after A.
    assertThat(beatsB)
        .filteredOn(c -> c.heartbeat().epoch() != null)
        .allMatch(c -> c.atNanos() > startedB.atNanos());
    assertThat(completeB.atNanos()).isGreaterThan(completeA.atNanos());
    assertThat(completeA.end().epoch()).isEqualTo(6);
    assertThat(completeB.end().epoch()).isEqualTo(2);
    assertThat(epochs(reportsOf(trialA))).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(epochs(reportsOf(trialB))).containsExactly(1, 2);
    assertThat(reportsOf(trialB)).allMatch(r -> leaseB.equals(r.leaseId()), "names its lease");
  }

  @Test
  @Order(2)
  void aLostLeaseStopsTrainingAtTheNextBatchAndEndsNothing() {
    String trialId = newId("trial");
    String leaseId = newId("lease");
    double lostBefore = metrics.leaseCount("lost");
    // The store answers 409 once the worker reports epoch 1 done (as if the lease had expired).
    store.heartbeatPolicy(leaseId, h -> h.epoch() != null && h.epoch() >= 1 ? 409 : 200);
    store.offer(leaseId, segment(trialId, 0, 10, 10), 3000, 150);

    await()
        .atMost(WAIT)
        .until(() -> store.calls(leaseId, "heartbeat").stream().anyMatch(c -> c.status() == 409));
    await().atMost(WAIT).until(() -> loop.current() == null);
    long lostAt =
        store.calls(leaseId, "heartbeat").stream()
            .filter(c -> c.status() == 409)
            .findFirst()
            .orElseThrow()
            .atNanos();

    // The worker asks for the next lease; still nothing more for the lost one.
    int requests = store.requests().size();
    await().atMost(WAIT).until(() -> store.requests().size() > requests);
    List<EpochReport> reports = reportsOf(trialId);
    assertThat(reports.size()).as("reports of a 10-epoch segment").isBetween(1, 3);
    assertThat(epochs(reports)).isEqualTo(List.of(1, 2, 3).subList(0, reports.size()));
    assertThat(store.ends(leaseId)).isEmpty();
    // No heartbeat after the 409.
    assertThat(store.calls(leaseId, "heartbeat")).filteredOn(c -> c.atNanos() > lostAt).isEmpty();
    assertThat(metrics.leaseCount("lost")).isEqualTo(lostBefore + 1);
  }

  @Test
  @Order(3)
  void aLeaseThatCannotBeRenewedIsGivenUpBeforeItsTtl() {
    String trialId = newId("trial");
    String leaseId = newId("lease");
    double lostBefore = metrics.leaseCount("lost");
    // Every renewal fails (503): with a TTL of 1.2 s the worker stops 0.9 s after its request.
    store.heartbeatPolicy(leaseId, h -> 503);
    store.offer(leaseId, segment(trialId, 0, 30, 30), 1200, 300);

    await().atMost(WAIT).until(() -> store.grantedAtMillis(leaseId) != null);
    await().atMost(WAIT).until(() -> metrics.leaseCount("lost") > lostBefore);
    await().atMost(WAIT).until(() -> loop.current() == null);
    long granted = store.grantedAtMillis(leaseId);
    List<ConsumerRecord<String, byte[]>> records = recordsOf(trialId);
    assertThat(records.size()).isLessThan(30);
    // Nothing was sent after the TTL (the record timestamp is the producer's send time).
    assertThat(records).allMatch(r -> r.timestamp() < granted + 1200);
    assertThat(store.ends(leaseId)).isEmpty();
    assertThat(store.calls(leaseId, "heartbeat")).isNotEmpty().allMatch(c -> c.status() == 503);
    assertThat(metrics.leaseCount("lost")).isEqualTo(lostBefore + 1);
  }

  @Test
  @Order(4)
  void invalidAssignmentsAndUnknownModelsAreFailedWithTheirReason() {
    String backwards = newId("trial");
    String vgg = newId("trial");
    String l1 = newId("lease");
    String l2 = newId("lease");
    String l3 = newId("lease");
    double failedBefore = metrics.leaseCount("failed");
    store.offer(l1, segment(backwards, 2, 1, 2), 3000, 1000);
    SegmentAssignment unknownModel =
        new SegmentAssignment(
            SchemaVersion.CURRENT, "study-l", vgg, 0, CONFIG, 0, 2, 2, null, DATA, "vgg", 5L);
    store.offer(l2, unknownModel, 3000, 1000);
    store.offer(l3, null, 3000, 1000);

    for (String l : List.of(l1, l2, l3)) {
      await().atMost(WAIT).until(() -> !store.calls(l, "fail").isEmpty());
    }
    LeaseEnd f1 = store.calls(l1, "fail").get(0).end();
    assertThat(f1.reason())
        .isEqualTo("invalid SegmentAssignment: toEpoch must be > fromEpoch, got 2..1");
    assertThat(f1.workerId()).isEqualTo("test-worker");
    assertThat(f1.epoch()).isNull();
    assertThat(f1.checkpointUri()).isNull();
    LeaseEnd f2 = store.calls(l2, "fail").get(0).end();
    assertThat(f2.reason()).contains("model 'vgg' is unknown");
    assertThat(f2.epoch()).isNull();
    assertThat(store.calls(l3, "fail").get(0).end().reason())
        .isEqualTo("invalid lease: it carries no segment assignment");
    for (String l : List.of(l1, l2, l3)) {
      assertThat(store.ends(l)).hasSize(1);
    }
    assertThat(reportsOf(backwards)).isEmpty();
    assertThat(reportsOf(vgg)).isEmpty();
    assertThat(metrics.leaseCount("failed")).isEqualTo(failedBefore + 3);
  }

  @Test
  @Order(5)
  void runningOutOfMemoryFailsTheSegmentAndTheWorkerGoesOn() {
    // A synthetic training set whose one feature array is larger than the whole heap: the
    // allocation fails at once, without touching the memory.
    long n = Runtime.getRuntime().maxMemory() / (784L * 4) + 50_000;
    Assumptions.assumeTrue(n * 784 < Integer.MAX_VALUE - 8, "the heap is too large for this test");
    DatasetSpec huge = new DatasetSpec("synthetic", null, 0.1, null, (int) n, 100);
    String trialId = newId("trial");
    String leaseId = newId("lease");
    store.offer(
        leaseId,
        new SegmentAssignment(
            SchemaVersion.CURRENT, "study-l", trialId, 0, CONFIG, 0, 1, 1, null, huge, "mlp", 5L),
        10_000,
        1000);
    LeaseEnd fail =
        await()
            .atMost(WAIT)
            .until(() -> store.calls(leaseId, "fail"), c -> !c.isEmpty())
            .get(0)
            .end();
    assertThat(fail.reason())
        .isEqualTo(
            "out of memory while loading dataset synthetic (" + n + " examples): Java heap space");

    // The same process trains the next segment.
    String next = newId("trial");
    String nextLease = newId("lease");
    store.offer(nextLease, segment(next, 0, 1, 1), 3000, 500);
    LeaseEnd done =
        await()
            .atMost(WAIT)
            .until(() -> store.calls(nextLease, "complete"), c -> !c.isEmpty())
            .get(0)
            .end();
    assertThat(done.epoch()).isEqualTo(1);
    assertThat(epochs(reportsOf(next))).containsExactly(1);
  }

  @Test
  @Order(6)
  void healthAndMetricsDescribeTheLoopAndTheControlPlane() {
    given()
        .when()
        .get("/q/health/live")
        .then()
        .statusCode(200)
        .body("checks.name", hasItem("lease-loop"))
        .body(containsString("waiting for a lease"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                given()
                    .when()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("checks.name", hasItem("control-plane"))
                    .body("checks.name", hasItem("training-engine"))
                    .body(containsString(store.url()))
                    .body(containsString("PyTorch 2.7.1")));
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("sharpsweep_worker_leases_total{event=\"acquired\"}"))
        .body(containsString("sharpsweep_worker_leases_total{event=\"released\"}"))
        .body(containsString("sharpsweep_worker_training_images_per_second"));
  }

  @Test
  @Order(7)
  void shutdownStopsTheSegmentAndReleasesItAtItsLastCheckpoint() {
    String trialId = newId("trial");
    String leaseId = newId("lease");
    store.offer(leaseId, segment(trialId, 0, 40, 40), 5000, 200);
    await()
        .atMost(WAIT)
        .until(
            () ->
                store.calls(leaseId, "heartbeat").stream()
                    .map(Call::heartbeat)
                    .anyMatch(h -> h.epoch() != null && h.epoch() >= 2));

    long t0 = System.nanoTime();
    loop.shutdown();
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(seconds).isLessThan(20);

    List<Call> releases = store.calls(leaseId, "release");
    assertThat(releases).hasSize(1);
    assertThat(store.ends(leaseId)).hasSize(1);
    LeaseEnd release = releases.get(0).end();
    assertThat(release.reason()).isEqualTo("worker shutting down");
    assertThat(release.workerId()).isEqualTo("test-worker");
    List<EpochReport> reports = reportsOf(trialId);
    int last = reports.get(reports.size() - 1).epoch();
    assertThat(epochs(reports))
        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, last).boxed().toList());
    assertThat(last).isBetween(2, 39);
    assertThat(release.epoch()).isEqualTo(last);
    assertThat(release.checkpointUri())
        .isEqualTo(reports.get(reports.size() - 1).checkpointUri())
        .endsWith("/study-l/" + trialId + "/epoch-" + last);
    assertThat(CheckpointStore.hasTensors(CheckpointStore.directoryOf(release.checkpointUri())))
        .isTrue();

    // No new lease is taken after the shutdown; the loop counts as stopped, not dead.
    String after = newId("lease");
    store.offer(after, segment(newId("trial"), 0, 1, 1), 3000, 500);
    await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
    assertThat(store.queued(after)).isTrue();
    assertThat(loop.healthy()).isTrue();
    assertThat(loop.state()).isEqualTo("stopped");
  }
}
