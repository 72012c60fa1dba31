package io.sharpsweep.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A broker restarted on its data directory (on other ports) still has its topics, its records and
 * its groups' committed offsets: a record produced before the restart and not yet consumed is the
 * first one the group gets after it, and the record the group had committed is not delivered again.
 */
class KafkaBrokerRestartTest {
  private static final String TOPIC = "restart-t";
  private static final String GROUP = "restart-g";

  private Path dir;

  @BeforeEach
  void createDir() throws IOException {
    dir = Files.createTempDirectory("sharpsweep-kafka-restart-");
  }

  @AfterEach
  void deleteDir() {
    KafkaBroker.deleteRecursively(dir);
  }

  @Test
  void aCleanStopAndRestartKeepsRecordsTopicsAndCommittedOffsets() {
    String clusterId;
    try (KafkaBroker broker = KafkaBroker.start(dir, 0, 0, false)) {
      broker.createTopics(Map.of(TOPIC, 2));
      produce(broker.bootstrapServers(), "k", "before-1");
      assertThat(consumeAndCommit(broker.bootstrapServers(), 1)).containsExactly("before-1");
      produce(broker.bootstrapServers(), "k", "before-2");
      clusterId = KafkaBroker.clusterId(dir).orElseThrow();
    }

    long t0 = System.nanoTime();
    try (KafkaBroker broker = KafkaBroker.start(dir, 0, 0, false)) {
      long restartMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("broker restart on its data (clean stop): " + restartMs + " ms");
      assertThat(KafkaBroker.clusterId(dir)).contains(clusterId);
      produce(broker.bootstrapServers(), "k", "after-1");
      assertThat(consumeAndCommit(broker.bootstrapServers(), 2))
          .containsExactly("before-2", "after-1");
      // registering again waits at most for the previous run's broker session to expire
      assertThat(restartMs).isLessThan(KafkaBroker.SESSION_TIMEOUT_MS + 15_000L);
    }
  }

  @Test
  void aBrokerProcessKilledWithSigkillLosesNoAcknowledgedRecord() throws Exception {
    Process first = startProcess();
    try {
      String bootstrap = awaitReady(first);
      KafkaBroker.createTopics(bootstrap, Map.of(TOPIC, 2));
      produce(bootstrap, "k", "before-1");
      assertThat(consumeAndCommit(bootstrap, 1)).containsExactly("before-1");
      produce(bootstrap, "k", "before-2");
    } finally {
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    long t0 = System.nanoTime();
    Process second = startProcess();
    try {
      String bootstrap = awaitReady(second);
      long restartMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.println(
          "broker process restart after SIGKILL (JVM start included): " + restartMs + " ms");
      assertThat(consumeAndCommit(bootstrap, 1)).containsExactly("before-2");
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Process startProcess() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            KafkaBrokerMain.class.getName(),
            dir.toString(),
            String.valueOf(KafkaBroker.freePort()),
            String.valueOf(KafkaBroker.freePort()))
        .redirectErrorStream(true)
        .start();
  }

  /** Reads the process's output until its READY line; the rest is drained in the background. */
  private static String awaitReady(Process p) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String line;
    while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
      if (line.startsWith("READY ")) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      // discard
                    }
                  } catch (IOException ignored) {
                    // the process ended
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return line.substring("READY ".length()).trim();
      }
      if (line.startsWith("restarted") || line.startsWith("formatted")) {
        System.out.println(line);
      }
    }
    throw new IllegalStateException("the broker process did not print READY");
  }

  private static void produce(String bootstrap, String key, String value) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, key, value)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot produce to " + bootstrap, e);
    }
  }

  /** Consumes {@code count} records as the group, commits them, then waits briefly for extras. */
  private static List<String> consumeAndCommit(String bootstrap, int count) {
    List<String> got = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                GROUP,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (got.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          got.add(r.value());
        }
      }
      long extra = System.nanoTime() + Duration.ofMillis(500).toNanos();
      while (System.nanoTime() < extra) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          got.add(r.value());
        }
      }
      consumer.commitSync(Duration.ofSeconds(30));
    }
    return got;
  }
}
