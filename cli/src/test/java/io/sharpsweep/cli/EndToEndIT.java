package io.sharpsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sharpsweep.cli.client.ServiceClient;
import io.sharpsweep.cli.stack.LocalStack;
import io.sharpsweep.cli.stack.LocalStack.StackOptions;
import io.sharpsweep.kafka.TopicProbe;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.ReportMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole system, as the demo runs it: the packaged services in their own JVMs, a real KRaft
 * broker, the results-store on H2 and on PostgreSQL, and real DJL training on a small Fashion-MNIST
 * subset. A 4-trial × 2-epoch study must store every epoch report exactly once and answer its best
 * trial over REST.
 */
class EndToEndIT {
  static final String PG_URL =
      System.getProperty("sharpsweep.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");

  static final String SPEC =
      """
      name: e2e-%s
      dataset: {name: fashion-mnist, validationFraction: 0.2, trainLimit: 1500, testLimit: 500}
      model: mlp
      objectives: [{metric: val_accuracy, goal: maximize}]
      space:
        - {name: lr, type: float, low: 0.01, high: 0.2, log: true}
        - {name: momentum, type: float, low: 0.0, high: 0.9}
      fixed: {variant: sgd, batch-size: 64}
      sampler: {type: sobol, seed: 11}
      scheduler: {maxEpochs: 2}
      budget: {trials: 4, parallelism: 2}
      seed: 5
      """;

  @ParameterizedTest(name = "results-store on {0}")
  @ValueSource(strings = {"h2", "postgresql"})
  void aStudyRunsEndToEndAndEveryEpochIsStoredOnce(String db) throws Exception {
    if (db.equals("postgresql")) {
      // skipped only on purpose (-Dsharpsweep.test.postgres=false); an unreachable server fails the
      // test
      Assumptions.assumeTrue(
          !"false".equals(System.getProperty("sharpsweep.test.postgres")),
          "-Dsharpsweep.test.postgres=false");
    }
    Path home = Path.of(System.getProperty("sharpsweep.home", "..")).toAbsolutePath().normalize();
    Path work = Files.createTempDirectory("sharpsweep-e2e-" + db + "-");
    Map<String, String> extra = new HashMap<>();
    String schema = "e2e_" + Long.toString(System.nanoTime(), 36);
    if (db.equals("postgresql")) {
      // a schema of its own, created by Flyway and dropped at the end, so reruns never collide
      extra.put("sharpsweep.store.postgresql.url", PG_URL + "?currentSchema=" + schema);
      extra.put("quarkus.flyway.\"postgresql\".schemas", schema);
    }
    StackOptions options =
        new StackOptions(home, work, 2, 1, db, Path.of("/usr/share/datasets/fashion-mnist"), extra);
    ServiceClient client = new ServiceClient(null);
    try (LocalStack stack = LocalStack.start(options, line -> System.out.println("[e2e] " + line));
        TopicProbe reports = new TopicProbe(stack.bootstrapServers(), Topics.REPORTS)) {
      String scheduler = stack.url("scheduler");
      String store = stack.url("results-store");
      String id =
          client
              .post(scheduler + "/v1/studies", "application/yaml", SPEC.formatted(db))
              .path("id")
              .asText();

      Awaitility.await("study " + id + " completed in the store")
          .atMost(Duration.ofMinutes(8))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  client
                      .get(store + "/v1/studies/" + id)
                      .path("state")
                      .asText()
                      .equals("completed"));
      assertThat(client.get(scheduler + "/v1/studies/" + id).path("completed").asInt())
          .isEqualTo(4);

      // every report the workers published is in the database exactly once
      List<EpochReport> published =
          reports.await(r -> r.key().startsWith(id), 8, Duration.ofSeconds(30)).stream()
              .map(r -> Json.decode(r.value(), ReportMessage.class))
              .filter(EpochReport.class::isInstance)
              .map(EpochReport.class::cast)
              .toList();
      Set<String> publishedKeys = new HashSet<>();
      published.forEach(r -> publishedKeys.add(r.trialId() + "/" + r.attempt() + "/" + r.epoch()));
      assertThat(publishedKeys).hasSize(8);

      JsonNode trials = client.getAllPages(store + "/v1/studies/" + id + "/trials?limit=1000");
      List<String> storedKeys = new ArrayList<>();
      double bestAccuracy = -1;
      String bestTrial = null;
      assertThat(trials).hasSize(4);
      for (JsonNode t : trials) {
        assertThat(t.path("state").asText()).isEqualTo("completed");
        List<Integer> epochs = new ArrayList<>();
        for (JsonNode e : t.path("epochs")) {
          epochs.add(e.path("epoch").asInt());
          storedKeys.add(
              t.path("trialId").asText()
                  + "/"
                  + e.path("attempt").asInt()
                  + "/"
                  + e.path("epoch").asInt());
          assertThat(e.path("metrics").path("valAccuracy").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(epochs).as("epochs of " + t.path("trialId").asText()).containsExactly(1, 2);
        double last = t.path("epochs").get(1).path("metrics").path("valAccuracy").asDouble();
        if (last > bestAccuracy) {
          bestAccuracy = last;
          bestTrial = t.path("trialId").asText();
        }
      }
      assertThat(storedKeys).hasSize(8).containsExactlyInAnyOrderElementsOf(publishedKeys);
      // real training: an MLP on 1,200 Fashion-MNIST images beats chance (0.1) by far after 2
      // epochs
      assertThat(bestAccuracy).isGreaterThan(0.5);

      JsonNode best = client.get(store + "/v1/studies/" + id + "/best").path("best");
      assertThat(best.path("trialId").asText()).isEqualTo(bestTrial);
      assertThat(best.path("value").asDouble()).isEqualTo(bestAccuracy);
    } finally {
      if (db.equals("postgresql")) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(PG_URL, "postgres", "");
            java.sql.Statement st = c.createStatement()) {
          st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      }
      if (Files.exists(work)) {
        try (var walk = Files.walk(work)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
