package io.sharpsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sharpsweep.cli.bench.ScaleBench;
import io.sharpsweep.cli.client.ServiceClient;
import io.sharpsweep.cli.commands.BenchScaleCommand;
import io.sharpsweep.cli.stack.LocalStack;
import io.sharpsweep.cli.stack.LocalStack.StackOptions;
import io.sharpsweep.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code bench-scale} at a tiny size on the real stack (broker, results-store on H2, sampler,
 * scheduler as processes): 4 simulated workers, 6 trials × 2 epochs of 0.2 s. The JSON has every
 * figure, the makespan is at least the ideal, and the store's REST shows every epoch of every trial
 * exactly once.
 */
class BenchScaleIT {
  static final int WORKERS = 4;
  static final int TRIALS = 6;
  static final int EPOCHS = 2;

  @Test
  void aTinyFleetRunsAndEveryEpochIsStoredOnce() throws Exception {
    Path home = Path.of(System.getProperty("sharpsweep.home", "..")).toAbsolutePath().normalize();
    Path work = Files.createTempDirectory("sharpsweep-bench-scale-");
    StackOptions options =
        new StackOptions(
            home, work, 0, 1, "h2", Path.of("/usr/share/datasets/fashion-mnist"), Map.of());
    ScaleBench.Result result;
    String storeUrl;
    ServiceClient client = new ServiceClient(null);
    try (LocalStack stack =
        LocalStack.start(options, line -> System.out.println("[bench-scale] " + line))) {
      storeUrl = stack.url(LocalStack.STORE);
      result =
          new ScaleBench(
                  stack.url(LocalStack.SCHEDULER),
                  storeUrl,
                  stack.url(LocalStack.SAMPLER),
                  stack.bootstrapServers(),
                  work,
                  line -> System.out.println("[bench-scale] " + line))
              .run(
                  new ScaleBench.Options(
                      List.of(WORKERS),
                      TRIALS,
                      0,
                      EPOCHS,
                      0.2,
                      "none",
                      "random",
                      "tpe",
                      2,
                      Duration.ofMillis(300),
                      false,
                      Duration.ofSeconds(60)),
                  "h2");

      // the store's REST, read here independently of the benchmark's own check
      String id = result.runs().get(0).studyId();
      JsonNode trials = client.getAllPages(storeUrl + "/v1/studies/" + id + "/trials?limit=1000");
      assertThat(trials).hasSize(TRIALS);
      Set<String> keys = new HashSet<>();
      for (JsonNode t : trials) {
        assertThat(t.path("state").asText()).isEqualTo("completed");
        List<Integer> epochs = new ArrayList<>();
        for (JsonNode e : t.path("epochs")) {
          epochs.add(e.path("epoch").asInt());
          assertThat(
                  keys.add(
                      t.path("trialId").asText()
                          + "/"
                          + e.path("attempt").asInt()
                          + "/"
                          + e.path("epoch").asInt()))
              .isTrue();
        }
        assertThat(epochs).as("epochs of " + t.path("trialId").asText()).containsExactly(1, 2);
      }
      assertThat(keys).hasSize(TRIALS * EPOCHS);
    }

    // the JSON of --json: its shape and its sanity
    JsonNode json = Json.mapper().readTree(Json.encodeToString(result));
    assertThat(json.path("scheduler").asText()).isEqualTo("none");
    assertThat(json.path("runs")).hasSize(1);
    JsonNode run = json.path("runs").get(0);
    for (String field :
        List.of(
            "workers",
            "idealSeconds",
            "makespanSeconds",
            "makespanOverIdeal",
            "idleFraction",
            "idleWhileQueuedFraction",
            "epochsStored",
            "everyEpochStoredOnce")) {
      assertThat(run.has(field)).as(field).isTrue();
    }
    for (String latency : List.of("dispatch", "reportToDecision", "reportAck", "suggest")) {
      assertThat(run.path(latency).has("p50Ms")).as(latency).isTrue();
      assertThat(run.path(latency).has("p99Ms")).as(latency).isTrue();
    }
    double ideal = TRIALS * EPOCHS * 0.2 / WORKERS;
    assertThat(run.path("idealSeconds").asDouble())
        .isCloseTo(ideal, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(run.path("makespanSeconds").asDouble()).isGreaterThanOrEqualTo(ideal);
    assertThat(run.path("makespanOverIdeal").asDouble()).isGreaterThanOrEqualTo(1.0);
    assertThat(run.path("idleFraction").asDouble()).isBetween(0.0, 1.0);
    assertThat(run.path("epochsStored").asInt()).isEqualTo(TRIALS * EPOCHS);
    assertThat(run.path("epochsTrained").asInt()).isEqualTo(TRIALS * EPOCHS);
    assertThat(run.path("epochsDuplicated").asInt()).isZero();
    assertThat(run.path("everyEpochStoredOnce").asBoolean()).isTrue();
    // 6 trials on 4 workers: at least two workers took a second segment
    assertThat(run.path("dispatch").path("count").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(run.path("dispatch").path("p50Ms").asDouble()).isGreaterThanOrEqualTo(0.0);
    // scheduler none: one complete decision per trial, on its last epoch
    assertThat(run.path("reportToDecision").path("count").asInt()).isBetween(1, TRIALS);
    assertThat(run.path("reportToDecision").path("p50Ms").asDouble()).isPositive();
    assertThat(run.hasNonNull("error")).isFalse();
    assertThat(json.path("growth").path("makespanOverIdeal").get(0).asDouble()).isEqualTo(1.0);

    // the table and the chart draw from the same result
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    BenchScaleCommand.print(new PrintStream(table, true, StandardCharsets.UTF_8), result);
    assertThat(table.toString(StandardCharsets.UTF_8)).contains("makespan").contains("growth");
    Path png = work.resolve("scale.png");
    BenchScaleCommand.chart(png, result);
    assertThat(Files.size(png)).isGreaterThan(1000);
  }
}
