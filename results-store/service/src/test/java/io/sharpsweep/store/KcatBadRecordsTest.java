package io.sharpsweep.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.study.Budget;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.study.SchedulerSpec;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.TrialIds;
import io.sharpsweep.store.db.StoreDatabase;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Bad records from a non-Java client: {@code kcat -P} (librdkafka) sends a few hundred generated
 * bad records (random bytes, truncated JSON, wrong types, huge numbers, unknown schema versions,
 * unknown or malformed ids, non-finite and out-of-range numbers, including the {@code
 * Infinity}/{@code NaN} tokens and {@code 1e400} that JSON does not allow) mixed with valid
 * reports, to the test broker. Every bad record must be on the dead-letter topic (matched by the
 * SHA-256 header) with a one-line reason, every valid one stored, and no study or trial row created
 * by the bad ones. The figure (records × outcome per kind) is printed and written to {@code
 * target/bad-records-kcat.json}.
 *
 * <p>Needs {@code /usr/bin/kcat} ({@code apt-get install kcat}; {@code ./sharpsweep test} installs
 * it); {@code SHARPSWEEP_TEST_KCAT=false} (or {@code -Dsharpsweep.test.kcat=false}) skips it.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class KcatBadRecordsTest {
  private static final long SEED = 20_261_201L;
  private static final int PER_KIND = 32;
  private static final int TRIALS = 6;
  private static final int EPOCHS = 3;
  private static final Path KCAT =
      Path.of(System.getProperty("sharpsweep.test.kcat.binary", "/usr/bin/kcat"));

  @Inject StoreDatabase database;

  /** One record to send: its kind ("valid" or a kind of bad record), key and bytes. */
  record Outgoing(String kind, String key, byte[] value) {}

  @Test
  void everyBadRecordIsDeadLetteredWithAReasonAndEveryValidOneStored() throws Exception {
    boolean off =
        "false".equalsIgnoreCase(System.getenv("SHARPSWEEP_TEST_KCAT"))
            || "false".equalsIgnoreCase(System.getProperty("sharpsweep.test.kcat"));
    Assumptions.assumeFalse(off, "SHARPSWEEP_TEST_KCAT=false: the kcat test is skipped on purpose");
    if (!Files.isExecutable(KCAT)) {
      fail(
          "kcat for the non-Java client test is missing ("
              + KCAT
              + "): apt-get install kcat (./sharpsweep test does), or skip this test on purpose with"
              + " SHARPSWEEP_TEST_KCAT=false");
    }
    long started = System.nanoTime();
    try (KafkaTestClient kafka = new KafkaTestClient()) {
      String study = "kcat-" + UUID.randomUUID().toString().substring(0, 8);
      createStudy(study);
      long studiesBefore = count("SELECT COUNT(*) FROM studies");
      long trialsBefore = count("SELECT COUNT(*) FROM trials");

      List<Outgoing> records = generate(study, new Random(SEED));
      Map<String, String> kindBySha = new HashMap<>();
      for (Outgoing o : records) {
        if (!o.kind().equals("valid")
            && kindBySha.put(ResultsStoreScenarios.sha256(o.value()), o.kind()) != null) {
          throw new IllegalStateException("two bad records with the same bytes: " + o.kind());
        }
      }
      int sendCalls = sendWithKcat(records);

      // Every bad record on the dead-letter topic, each with a one-line reason.
      Map<String, String> reasonBySha = new HashMap<>();
      try (KafkaTestClient.Tail tail = kafka.tail(Topics.DEAD_LETTER)) {
        await()
            .atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(300))
            .until(
                () -> {
                  for (ConsumerRecord<String, byte[]> r : tail.poll()) {
                    String sha = ResultsStoreScenarios.header(r, "dead-letter-original-sha256");
                    if (sha != null && kindBySha.containsKey(sha)) {
                      reasonBySha.put(sha, ResultsStoreScenarios.header(r, "dead-letter-reason"));
                    }
                  }
                  return reasonBySha.keySet().containsAll(kindBySha.keySet());
                });
      }
      // Every valid report stored, with its values.
      JsonPath trials =
          awaitTrials(study, j -> j.getList("epochs.flatten()").size() == TRIALS * EPOCHS);
      for (int n = 0; n < TRIALS; n++) {
        String t = "find { it.number == " + n + " }";
        assertThat(trials.getList(t + ".epochs.epoch", Integer.class)).containsExactly(1, 2, 3);
        assertThat(trials.getList(t + ".epochs.metrics.valAccuracy", Double.class))
            .containsExactly(accuracy(n, 1), accuracy(n, 2), accuracy(n, 3));
      }
      given().get("/q/health").then().statusCode(200);
      long studiesAfter = count("SELECT COUNT(*) FROM studies");
      long trialsAfter = count("SELECT COUNT(*) FROM trials");
      assertThat(studiesAfter - studiesBefore).as("studies created by bad records").isZero();
      assertThat(trialsAfter - trialsBefore).as("trials created by bad records").isZero();
      assertThat(count("SELECT COUNT(*) FROM studies WHERE spec IS NULL"))
          .as("studies without a spec (placeholders)")
          .isZero();

      // The figure: records × outcome per kind.
      Map<String, Map<String, Integer>> byKind = new TreeMap<>();
      Map<String, Map<String, Integer>> reasons = new TreeMap<>();
      for (Outgoing o : records) {
        Map<String, Integer> row =
            byKind.computeIfAbsent(o.kind(), k -> new LinkedHashMap<>(outcomes()));
        row.merge("sent", 1, Integer::sum);
        if (o.kind().equals("valid")) {
          row.merge("stored", 1, Integer::sum);
          continue;
        }
        String reason = reasonBySha.get(ResultsStoreScenarios.sha256(o.value()));
        assertThat(reason).as("reason of a %s record", o.kind()).isNotBlank();
        assertThat(reason).doesNotContain("\n", "\r");
        row.merge("deadLettered", 1, Integer::sum);
        reasons
            .computeIfAbsent(o.kind(), k -> new TreeMap<>())
            .merge(reasonKind(reason), 1, Integer::sum);
      }
      Map<String, Object> figure = new LinkedHashMap<>();
      figure.put("client", kcatVersion());
      figure.put("topic", Topics.REPORTS);
      figure.put("records", records.size());
      figure.put("kcatCalls", sendCalls);
      figure.put("outcomes", byKind);
      figure.put("reasons", reasons);
      figure.put("studiesCreatedByBadRecords", studiesAfter - studiesBefore);
      figure.put("trialsCreatedByBadRecords", trialsAfter - trialsBefore);
      figure.put("health", "UP");
      figure.put("seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
      String json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(figure);
      System.out.println(json);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "bad-records-kcat.json"), json + "\n");
    }
  }

  private static Map<String, Integer> outcomes() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("sent", 0);
    m.put("stored", 0);
    m.put("deadLettered", 0);
    return m;
  }

  /** The start of a reason, up to its first quote or number: what kind of rule the record broke. */
  private static String reasonKind(String reason) {
    String r = reason;
    int colon = r.indexOf(':', r.indexOf(':') + 1);
    if (r.startsWith("invalid ") && colon > 0) {
      r = r.substring(0, colon);
    } else if (r.startsWith("not a valid ")) {
      r = r.substring(0, Math.min(r.length(), r.indexOf(':') > 0 ? r.indexOf(':') : r.length()));
    } else if (r.startsWith("unknown study")) {
      r = "unknown study";
    } else if (r.startsWith("unknown trial")) {
      r = "unknown trial";
    }
    return r.length() > 60 ? r.substring(0, 60) : r;
  }

  // ---- generation
  // --------------------------------------------------------------------------------

  private static double accuracy(int trial, int epoch) {
    return Math.round((0.5 + 0.05 * trial + 0.03 * epoch) * 1000) / 1000.0;
  }

  /** A valid report as JSON text (what a worker in any language would write). */
  private static String report(
      String study, String trial, int epoch, double accuracy, Map<String, String> override) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("type", "\"epoch-report\"");
    f.put("schemaVersion", "1");
    f.put("studyId", quote(study));
    f.put("trialId", quote(trial));
    f.put("attempt", "1");
    f.put("epoch", Integer.toString(epoch));
    f.put(
        "metrics",
        "{\"valAccuracy\":" + accuracy + ",\"valLoss\":" + (1 - accuracy) + ",\"trainLoss\":0.3}");
    f.put(
        "cost",
        "{\"forwardPasses\":100,\"backwardPasses\":100,\"examplesBackward\":6400,"
            + "\"samStepFraction\":1.0,\"wallSeconds\":1.5,\"sgdEpochEquivalents\":"
            + (2.0 * epoch)
            + "}");
    f.put("workerId", "\"kcat\"");
    f.put("checkpointUri", quote("file:///ckpt/" + trial + "/" + epoch));
    f.put("final", epoch == EPOCHS ? "true" : "false");
    f.putAll(override);
    StringBuilder out = new StringBuilder("{");
    f.forEach(
        (k, v) -> {
          if (v != null) {
            out.append(out.length() > 1 ? "," : "").append(quote(k)).append(':').append(v);
          }
        });
    return out.append('}').toString();
  }

  /** A JSON string: quotes, backslashes and control characters escaped. */
  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') {
        out.append('\\').append(ch);
      } else if (ch < 0x20) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
      } else {
        out.append(ch);
      }
    }
    return out.append('"').toString();
  }

  private static List<Outgoing> generate(String study, Random random) {
    List<Outgoing> bad = new ArrayList<>();
    String anyTrial = TrialIds.trialId(study, 0);
    // A bad record is the report of a trial that exists, with one thing wrong, unless it is about
    // the ids; an extra field "n" makes each one's bytes unique.
    int[] serial = {0};
    java.util.function.BiFunction<String, Map<String, String>, Outgoing> json =
        (kind, override) -> {
          Map<String, String> o = new LinkedHashMap<>(override);
          o.put("n", Integer.toString(serial[0]++));
          int epoch = 1 + random.nextInt(EPOCHS);
          return new Outgoing(
              kind,
              "kcat-bad",
              report(study, anyTrial, epoch, 0.99, o).getBytes(StandardCharsets.UTF_8));
        };
    for (int i = 0; i < PER_KIND; i++) {
      byte[] noise = new byte[1 + random.nextInt(i == 0 ? 200_000 : 2000)];
      random.nextBytes(noise);
      bad.add(new Outgoing("random-bytes", "kcat-bad", noise));

      // "n" first, and every cut after it, so that no two cuts are the same bytes.
      String n = "{\"n\":" + serial[0]++ + ",";
      byte[] whole =
          (n + report(study, anyTrial, 1, 0.9, Map.of()).substring(1))
              .getBytes(StandardCharsets.UTF_8);
      bad.add(
          new Outgoing(
              "truncated-json",
              "kcat-bad",
              java.util.Arrays.copyOf(
                  whole, n.length() + random.nextInt(whole.length - n.length()))));

      String[][] wrongTypes = {
        {"epoch", "\"three\""},
        {"epoch", "true"},
        {"epoch", "[1]"},
        {"epoch", "1.5"},
        {"attempt", "{}"},
        {"metrics", "\"good\""},
        {"metrics", "[0.9]"},
        {"cost", "42"},
        {"type", "\"epoch-rapport\""},
        {"type", "7"},
        {"schemaVersion", "\"one\""},
        {"final", "\"maybe\""},
        {"studyId", "{\"id\":1}"},
        {"trialId", "[\"" + anyTrial + "\"]"},
        {"type", null},
      };
      String[] w = wrongTypes[i % wrongTypes.length];
      Map<String, String> wt = new HashMap<>();
      wt.put(w[0], w[1]);
      bad.add(json.apply("wrong-types", wt));

      String[][] huge = {
        {"epoch", "2147483648"},
        {"attempt", "9223372036854775808"},
        {"epoch", "99999999999999999999999"},
        {"cost", cost("forwardPasses", "9223372036854775808")},
        {"cost", cost("examplesBackward", "-1")},
        {"cost", cost("wallSeconds", "1e400")},
        {"cost", cost("sgdEpochEquivalents", "2147483648.0")},
        {"metrics", metrics("valLoss", "1e400")},
        {"metrics", metrics("valAccuracy", "2147483648.0")},
        {"metrics", metrics("trainLoss", "-1e400")},
        {"epoch", "10001"},
        {"attempt", "101"},
      };
      String[] h = huge[i % huge.length];
      bad.add(json.apply("huge-numbers", Map.of(h[0], h[1])));

      String[] versions = {"0", "2", "99", "-1", "2147483647", null};
      Map<String, String> sv = new HashMap<>();
      sv.put("schemaVersion", versions[i % versions.length]);
      bad.add(json.apply("unknown-schema-version", sv));

      String[][] ids = {
        {"studyId", "true", "trialId", "\"true-t0000\""},
        {"studyId", "9223372036854775808", "trialId", "\"9223372036854775808-t0000\""},
        {"studyId", quote("\u0000st-" + study), "trialId", null},
        {"studyId", quote("st-unknown-" + i), "trialId", quote("st-unknown-" + i + "-t0000")},
        {"trialId", quote(TrialIds.trialId(study, 4000 + i))},
        {"trialId", quote("other-study-t0000")},
        {"trialId", quote(study + "-t0000\u0007")},
        {"studyId", quote(study + "/../x"), "trialId", quote(study + "/../x-t0000")},
        {"studyId", quote(""), "trialId", quote("-t0000")},
        {"studyId", quote("s".repeat(201))},
      };
      String[] id = ids[i % ids.length];
      Map<String, String> io = new HashMap<>();
      for (int k = 0; k < id.length; k += 2) {
        io.put(
            id[k],
            id[k + 1] == null ? quote(anyTrial.replace(study, "\u0000st-" + study)) : id[k + 1]);
      }
      bad.add(json.apply("unknown-or-malformed-ids", io));

      String[][] nonFinite = {
        {"metrics", metrics("valAccuracy", "NaN")},
        {"metrics", metrics("valLoss", "Infinity")},
        {"metrics", metrics("trainLoss", "-Infinity")},
        {"metrics", metrics("valAccuracy", "\"NaN\"")},
        {"metrics", metrics("valLoss", "\"Infinity\"")},
        {"metrics", metrics("trainLoss", "\"-Infinity\"")},
        {"cost", cost("samStepFraction", "1.5")},
        {"cost", cost("samStepFraction", "\"NaN\"")},
        {"cost", cost("wallSeconds", "\"Infinity\"")},
        {"metrics", metrics("valLoss", "-0.5")},
        {"metrics", metrics("testAccuracy", "1.0000001")},
      };
      String[] nf = nonFinite[i % nonFinite.length];
      bad.add(json.apply("non-finite-or-out-of-range", Map.of(nf[0], nf[1])));
    }
    for (String s : new String[] {"null", "[]", "\"report\"", "42", "{}", "true"}) {
      bad.add(new Outgoing("not-a-report", "kcat-bad", s.getBytes(StandardCharsets.UTF_8)));
    }
    Collections.shuffle(bad, random);

    // The valid reports, in epoch order per trial, at random places among the bad ones.
    List<Outgoing> valid = new ArrayList<>();
    for (int e = 1; e <= EPOCHS; e++) {
      for (int n = 0; n < TRIALS; n++) {
        String trial = TrialIds.trialId(study, n);
        valid.add(
            new Outgoing(
                "valid",
                trial,
                report(study, trial, e, accuracy(n, e), Map.of())
                    .getBytes(StandardCharsets.UTF_8)));
      }
    }
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < valid.size(); i++) {
      slots.add(random.nextInt(bad.size() + 1));
    }
    Collections.sort(slots);
    List<Outgoing> all = new ArrayList<>();
    int v = 0;
    for (int i = 0; i <= bad.size(); i++) {
      while (v < valid.size() && slots.get(v) == i) {
        all.add(valid.get(v++));
      }
      if (i < bad.size()) {
        all.add(bad.get(i));
      }
    }
    return all;
  }

  private static String metrics(String field, String value) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("valAccuracy", "0.9");
    m.put("valLoss", "0.1");
    m.put("trainLoss", "0.3");
    m.put(field, value);
    return object(m);
  }

  private static String cost(String field, String value) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("forwardPasses", "100");
    m.put("backwardPasses", "100");
    m.put("examplesBackward", "6400");
    m.put("samStepFraction", "1.0");
    m.put("wallSeconds", "1.5");
    m.put("sgdEpochEquivalents", "2.0");
    m.put(field, value);
    return object(m);
  }

  private static String object(Map<String, String> m) {
    StringBuilder out = new StringBuilder("{");
    m.forEach(
        (k, val) ->
            out.append(out.length() > 1 ? "," : "").append(quote(k)).append(':').append(val));
    return out.append('}').toString();
  }

  // ---- sending
  // -------------------------------------------------------------------------------------

  /**
   * Sends the records in order with kcat, one file per record (so bytes go as they are), one kcat
   * run per run of records with the same key. Returns the number of runs.
   */
  private static int sendWithKcat(List<Outgoing> records) throws IOException, InterruptedException {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kcat-records-");
    int calls = 0;
    int i = 0;
    while (i < records.size()) {
      String key = records.get(i).key();
      List<String> command =
          new ArrayList<>(
              List.of(
                  KCAT.toString(),
                  "-P",
                  "-b",
                  bootstrap,
                  "-t",
                  Topics.REPORTS,
                  "-p",
                  "0",
                  "-k",
                  key,
                  "-X",
                  "enable.idempotence=true",
                  "-X",
                  "message.max.bytes=1000000"));
      while (i < records.size() && records.get(i).key().equals(key)) {
        Path file = dir.resolve(String.format(Locale.ROOT, "%05d.bin", i));
        Files.write(file, records.get(i).value());
        command.add(file.toString());
        i++;
      }
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kcat failed: " + out);
      }
      calls++;
    }
    return calls;
  }

  private static String kcatVersion() {
    try {
      Process p = new ProcessBuilder(KCAT.toString(), "-V").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out.lines()
          .filter(l -> l.contains("kcat") || l.contains("librdkafka"))
          .map(String::strip)
          .reduce((a, b) -> a + "; " + b)
          .orElse("kcat");
    } catch (IOException | InterruptedException e) {
      return "kcat";
    }
  }

  // ---- the store
  // -----------------------------------------------------------------------------------

  private static void createStudy(String study) {
    StudySpec spec =
        new StudySpec(
            "kcat-bad-records",
            new DatasetSpec("synthetic", null, 0.1, null, 100, 20),
            "mlp",
            List.of(new Objective("val_accuracy", Goal.MAXIMIZE)),
            List.of(ParamSpec.floatParam("lr", 0.001, 1.0, true)),
            Map.of("batch-size", 128),
            new SamplerSpec("random", 7L, null),
            new SchedulerSpec("none", null, EPOCHS, null),
            new Budget(TRIALS, TRIALS, 2),
            1L);
    given()
        .contentType(ContentType.JSON)
        .body(Json.encode(new CreateStudy(study, spec, 1_767_323_045_000L)))
        .post("/v1/control/studies")
        .then()
        .statusCode(201);
    List<Map<String, Object>> params = new ArrayList<>();
    for (int n = 0; n < TRIALS; n++) {
      params.add(Map.of("lr", 0.01 * (n + 1)));
    }
    given()
        .contentType(ContentType.JSON)
        .body(Json.encode(new NewTrials(0, params)))
        .post("/v1/control/studies/" + study + "/trials")
        .then()
        .statusCode(201);
  }

  private long count(String sql) {
    return database.read(
        "counting",
        c -> {
          try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static JsonPath awaitTrials(String study, java.util.function.Predicate<JsonPath> ready) {
    JsonPath[] seen = new JsonPath[1];
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              var response = given().get("/v1/studies/" + study + "/trials");
              if (response.statusCode() != 200) {
                return false;
              }
              seen[0] = response.jsonPath();
              return ready.test(seen[0]);
            });
    return seen[0];
  }
}
