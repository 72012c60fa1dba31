package io.sharpsweep.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.testing.BadInput;
import io.sharpsweep.protocol.testing.BadInput.Answer;
import io.sharpsweep.protocol.testing.BadInput.Expect;
import io.sharpsweep.protocol.testing.Gen;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Generated bad input against every endpoint and method of the results-store: the read API, the
 * control plane ({@code /v1/control}), the leases ({@code /v1/leases}) and the dashboard, in the
 * same Quarkus application as the H2 scenarios (the in-JVM broker, a fresh H2 file database).
 * {@link BadInput} has the rules every answer must follow and writes the figure to {@code
 * target/bad-input-results-store.json}.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class BadInputTest {
  static final long SEED = 20_260_503L;
  private static final String JSON = "application/json";

  static final String SPEC =
      """
      name: bad-input
      dataset: {name: synthetic}
      model: mlp
      objectives: [{metric: val_accuracy, goal: maximize}]
      space:
        - {name: lr, type: float, low: 0.001, high: 0.5, log: true}
        - {name: variant, type: categorical, choices: [sgd, sam]}
        - {name: rho, type: float, low: 0.01, high: 0.2, when: {variant: [sam]}}
      fixed: {batch-size: 32}
      sampler: {type: random, seed: 3}
      scheduler: {type: asha, minEpochs: 1, maxEpochs: 4, eta: 2}
      budget: {trials: 40, parallelism: 40, maxAttempts: 2}
      """;

  @TestHTTPResource("/")
  URL base;

  @ConfigProperty(name = "quarkus.http.limits.max-body-size")
  MemorySize maxBody;

  @Test
  void everyEndpointAnswersBadInputWithA4xxNamingTheFieldAndNever5xx() throws Exception {
    long start = System.currentTimeMillis();
    BadInput in = new BadInput(base.toURI(), SEED, 1_000);
    JsonNode spec = new YAMLMapper().readTree(SPEC);
    String study = "bad-input-" + Long.toString(SEED, 36);
    String createStudy = "POST /v1/control/studies";

    // a study with trials and a leased segment, so the ids below reach real rows
    ObjectNode create = BadInput.MAPPER.createObjectNode();
    create.put("id", study).put("createdAt", 1000).set("spec", spec);
    Answer created =
        in.send(
            createStudy,
            "POST",
            "/v1/control/studies",
            JSON,
            BadInput.utf8(BadInput.text(create)),
            Expect.VALID,
            null);
    assertThat(created.status()).isIn(200, 201);
    String trialsPath = "/v1/control/studies/" + study + "/trials";
    String newTrials = "POST /v1/control/studies/{id}/trials";
    int next = BadInput.tree(created.body()).get("created").asInt();
    for (int i = 0; i < 6; i++) {
      String body =
          "{\"firstNumber\": "
              + next
              + ", \"params\": [{\"lr\": 0.01, \"variant\": \"sgd\"},"
              + " {\"lr\": 0.1, \"variant\": \"sam\", \"rho\": 0.05}]}";
      in.send(newTrials, "POST", trialsPath, JSON, BadInput.utf8(body), Expect.VALID, null);
      next += 2;
    }
    String acquire = "POST /v1/leases";
    List<String> leases = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Answer a =
          in.send(
              acquire,
              "POST",
              "/v1/leases",
              JSON,
              BadInput.utf8("{\"workerId\": \"bad-input-worker\", \"waitSeconds\": 0}"),
              Expect.VALID,
              null);
      if (a.status() == 200) {
        leases.add(BadInput.tree(a.body()).get("leaseId").asText());
      }
    }
    assertThat(leases).isNotEmpty();
    List<String> studies = new ArrayList<>(List.of(study));
    for (JsonNode s :
        BadInput.tree(in.send("GET /v1/studies", "GET", "/v1/studies", null, null).body())) {
      studies.add(s.get("id").asText());
    }
    List<String> trials = new ArrayList<>();
    for (JsonNode t :
        BadInput.tree(
            in.send(
                    "GET /v1/studies/{id}/trials",
                    "GET",
                    "/v1/studies/" + study + "/trials",
                    null,
                    null)
                .body())) {
      trials.add(t.get("trialId").asText());
    }
    Supplier<String> studyId = () -> in.chance(0.5) ? in.pick(studies) : in.pathParam();
    Supplier<String> trialId = () -> in.chance(0.5) ? in.pick(trials) : in.pathParam();

    // ---- control: create (mutated CreateStudy), trials (mutated NewTrials), end, reads
    for (int i = 0; i < 250; i++) {
      ObjectNode body = (ObjectNode) create.deepCopy();
      body.put("id", "bad-input-m" + i);
      in.send(
          createStudy,
          "POST",
          "/v1/control/studies",
          JSON,
          BadInput.utf8(BadInput.text(in.mutate(body))),
          Expect.ANY,
          null);
    }
    JsonNode trialsBody =
        BadInput.tree(
            "{\"firstNumber\": 0, \"params\": [{\"lr\": 0.01, \"variant\": \"sgd\"},"
                + " {\"lr\": 0.1, \"variant\": \"sam\", \"rho\": 0.05}]}");
    for (int i = 0; i < 150; i++) {
      ObjectNode body = (ObjectNode) trialsBody.deepCopy();
      body.put("firstNumber", in.chance(0.7) ? next : in.random().nextInt(-5, 100));
      String id = in.chance(0.8) ? study : studyId.get();
      in.send(
          newTrials,
          "POST",
          "/v1/control/studies/" + BadInput.segment(id) + "/trials",
          JSON,
          BadInput.utf8(BadInput.text(in.mutate(body))),
          Expect.ANY,
          null);
    }
    for (int i = 0; i < 60; i++) {
      String action = in.pick(List.of("cancel", "fail"));
      String id = in.pathParam();
      byte[] body =
          in.chance(0.5)
              ? BadInput.utf8(
                  BadInput.text(in.mutate(BadInput.tree("{\"reason\": \"bad input\"}"))))
              : in.garbageBody();
      in.send(
          "POST /v1/control/studies/{id}/" + action,
          "POST",
          "/v1/control/studies/" + BadInput.segment(id) + "/" + action,
          JSON,
          body);
    }
    // pause, resume, extend and enqueue on a study of their own, so the rows above stay as they are
    String other = study + "-budget";
    ObjectNode createOther = BadInput.MAPPER.createObjectNode();
    createOther.put("id", other).put("createdAt", 1000).set("spec", spec);
    in.send(
        createStudy,
        "POST",
        "/v1/control/studies",
        JSON,
        BadInput.utf8(BadInput.text(createOther)),
        Expect.VALID,
        null);
    JsonNode extendBody = BadInput.tree("{\"trials\": 2}");
    JsonNode enqueueBody =
        BadInput.tree("{\"configs\": [{\"lr\": 0.1, \"variant\": \"sam\", \"rho\": 0.05}]}");
    for (int i = 0; i < 60; i++) {
      String action = in.pick(List.of("pause", "resume", "extend", "enqueue"));
      String id = in.chance(0.7) ? other : in.pathParam();
      JsonNode valid =
          switch (action) {
            case "extend" -> extendBody;
            case "enqueue" ->
                in.chance(0.2) ? BadInput.tree("{\"preset\": \"papers\"}") : enqueueBody;
            default -> BadInput.tree("{}");
          };
      byte[] body =
          in.chance(0.7) ? BadInput.utf8(BadInput.text(in.mutate(valid))) : in.garbageBody();
      in.send(
          "POST /v1/control/studies/{id}/" + action,
          "POST",
          "/v1/control/studies/" + BadInput.segment(id) + "/" + action,
          JSON,
          body);
    }
    for (int i = 0; i < 60; i++) {
      String id = BadInput.segment(studyId.get());
      in.send("GET /v1/control/studies/{id}", "GET", "/v1/control/studies/" + id, null, null);
      in.send(
          "GET /v1/control/studies/{id}/suggest-context",
          "GET",
          "/v1/control/studies/" + id + "/suggest-context",
          null,
          null);
    }
    for (String path : List.of("/v1/control/studies", "/v1/control/wanting", "/v1/control/queue")) {
      for (int i = 0; i < 5; i++) {
        in.send(
            "GET " + path,
            "GET",
            path + "?" + query(in, "page", "limit"),
            null,
            null,
            Expect.VALID,
            null);
      }
    }

    // ---- leases: acquire (mutated, never a long wait), heartbeat, complete, release, fail
    JsonNode leaseRequest =
        BadInput.tree("{\"workerId\": \"bad-input-worker\", \"waitSeconds\": 0}");
    for (int i = 0; i < 120; i++) {
      JsonNode body = in.mutate(leaseRequest);
      JsonNode wait = body.get("waitSeconds");
      if (wait != null && wait.isIntegralNumber() && wait.canConvertToInt() && wait.asInt() > 0) {
        ((ObjectNode) body).put("waitSeconds", 0);
      }
      in.send(
          acquire,
          "POST",
          "/v1/leases",
          JSON,
          BadInput.utf8(BadInput.text(body)),
          Expect.ANY,
          null);
    }
    JsonNode beat =
        BadInput.tree(
            "{\"workerId\": \"bad-input-worker\", \"epoch\": 0, \"checkpointUri\": null}");
    JsonNode end =
        BadInput.tree(
            "{\"workerId\": \"bad-input-worker\", \"epoch\": 0, \"checkpointUri\": null, \"reason\": \"x\"}");
    for (int i = 0; i < 200; i++) {
      String action = in.pick(List.of("heartbeat", "heartbeat", "complete", "release", "fail"));
      String lease = in.chance(0.6) ? in.pick(leases) : in.pathParam();
      byte[] body =
          in.chance(0.85)
              ? BadInput.utf8(BadInput.text(in.mutate(action.equals("heartbeat") ? beat : end)))
              : in.garbageBody();
      in.send(
          "POST /v1/leases/{leaseId}/" + action,
          "POST",
          "/v1/leases/" + BadInput.segment(lease) + "/" + action,
          JSON,
          body);
    }

    // ---- the read API: ids, trial ids and query parameters
    List<String> metrics =
        List.of(
            "val_accuracy",
            "val_loss",
            "train_loss",
            "test_accuracy",
            "sgd_epoch_equivalents",
            "wall_seconds");
    for (int i = 0; i < 70; i++) {
      String id = BadInput.segment(studyId.get());
      String tid = BadInput.segment(trialId.get());
      String s = "/v1/studies/" + id;
      in.send("GET /v1/studies/{id}", "GET", s, null, null);
      in.send("GET /v1/studies/{id}/trials", "GET", s + "/trials", null, null);
      in.send("GET /v1/studies/{id}/trials/{tid}", "GET", s + "/trials/" + tid, null, null);
      in.send(
          "GET /v1/studies/{id}/trials/{tid}/curve",
          "GET",
          s + "/trials/" + tid + "/curve",
          null,
          null);
      in.send("GET /v1/studies/{id}/rungs", "GET", s + "/rungs", null, null);
    }
    for (int i = 0; i < 120; i++) {
      String s = "/v1/studies/" + BadInput.segment(in.chance(0.7) ? study : studyId.get());
      String objective = in.chance(0.5) ? in.pick(metrics) : in.pathParam();
      String goal = in.pick(List.of("maximize", "minimize", in.pathParam()));
      String cost = numberText(in);
      in.send(
          "GET /v1/studies/{id}/best",
          "GET",
          s
              + "/best?"
              + optional(in, "objective", objective)
              + optional(in, "goal", goal)
              + optional(in, "maxCost", cost),
          null,
          null);
      String x = in.chance(0.6) ? in.pick(metrics) : in.pathParam();
      String y = in.chance(0.6) ? in.pick(metrics) : in.pathParam();
      in.send(
          "GET /v1/studies/{id}/pareto",
          "GET",
          s
              + "/pareto?"
              + optional(in, "x", x)
              + optional(in, "y", y)
              + optional(in, "refX", numberText(in))
              + optional(in, "refY", numberText(in)),
          null,
          null);
      in.send(
          "GET /v1/studies/{id}/importance",
          "GET",
          s + "/importance?" + optional(in, "objective", objective),
          null,
          null);
      in.send("GET /v1/studies/{id}/variants", "GET", s + "/variants", null, null);
      String format = in.pick(List.of("json", "csv", "CSV", "xml", "", in.pathParam()));
      in.send(
          "GET /v1/studies/{id}/export",
          "GET",
          s + "/export?format=" + BadInput.segment(format),
          null,
          null);
    }
    for (int i = 0; i < 10; i++) {
      in.send("GET /", "GET", "/?" + query(in, "study", "tab"), null, null, Expect.VALID, null);
      in.send(
          "GET /v1/studies",
          "GET",
          "/v1/studies?" + query(in, "page", "sort"),
          null,
          null,
          Expect.VALID,
          null);
    }

    // ---- bodies that are not JSON objects, content types not read, the size limit, methods
    List<String> posts =
        List.of(
            "/v1/control/studies",
            trialsPath,
            "/v1/control/studies/" + study + "/cancel",
            "/v1/leases",
            "/v1/leases/" + leases.get(0) + "/heartbeat",
            "/v1/leases/" + leases.get(0) + "/complete");
    for (int i = 0; i < 90; i++) {
      String path = in.pick(posts.subList(0, 2));
      in.send(
          "POST " + template(path, study, leases.get(0)),
          "POST",
          path,
          JSON,
          in.chance(0.1) ? new byte[0] : in.garbageBody(),
          path.endsWith("/trials") || path.equals("/v1/control/studies")
              ? Expect.INVALID
              : Expect.ANY,
          null);
    }
    for (int i = 0; i < 40; i++) {
      String path = in.pick(posts);
      String type =
          in.pick(
              List.of(
                  "text/plain", "application/xml", "application/yaml", "application/octet-stream"));
      in.send(
          "POST " + template(path, study, leases.get(0)),
          "POST",
          path,
          type,
          BadInput.utf8("{}"),
          Expect.INVALID,
          null);
    }
    for (int i = 0; i < 2; i++) {
      byte[] big = new byte[(int) maxBody.asLongValue() + 1 + i];
      java.util.Arrays.fill(big, (byte) ' ');
      Answer a =
          in.send(createStudy, "POST", "/v1/control/studies", JSON, big, Expect.INVALID, null);
      assertThat(a.status()).isEqualTo(413);
    }
    List<String> paths =
        List.of(
            "/v1/studies",
            "/v1/studies/" + study,
            "/v1/studies/" + study + "/best",
            "/v1/control/studies",
            "/v1/control/queue",
            "/v1/leases");
    for (int i = 0; i < 60; i++) {
      String method = in.pick(List.of("PUT", "DELETE", "PATCH"));
      String path = in.pick(paths);
      in.send(
          method + " (not allowed)", method, path, JSON, BadInput.utf8("{}"), Expect.INVALID, null);
    }
    in.send("GET /v1/leases (not allowed)", "GET", "/v1/leases", null, null, Expect.INVALID, null);
    for (String method : List.of("PUT", "DELETE", "PATCH")) {
      in.send(
          method + " (not allowed)",
          method,
          "/v1/metrics",
          JSON,
          BadInput.utf8("{}"),
          Expect.INVALID,
          null);
    }
    in.send("GET /v1/metrics", "GET", "/v1/metrics?" + query(in, "x", "y"), null, null);
    in.sendRefusedByCodec("GET /v1/studies/{id}", "/v1/studies/" + "x".repeat(5_000), 414);

    // leave nothing running for the other tests of this application
    for (JsonNode s :
        BadInput.tree(
            in.send("GET /v1/control/studies", "GET", "/v1/control/studies", null, null).body())) {
      String id = s.get("id").asText();
      if (id.startsWith("bad-input") && "running".equals(s.path("state").asText())) {
        in.send(
            "POST /v1/control/studies/{id}/cancel",
            "POST",
            "/v1/control/studies/" + id + "/cancel",
            JSON,
            BadInput.utf8("{\"reason\": \"bad-input test done\"}"),
            Expect.VALID,
            null);
      }
    }

    List<String> failures = in.report("results-store", SEED, System.currentTimeMillis() - start);
    assertThat(failures).as(String.join("\n", failures)).isEmpty();
    assertThat(in.requests()).isGreaterThanOrEqualTo(1_500);
  }

  private static String template(String path, String study, String lease) {
    return path.replace(study, "{id}").replace(lease, "{leaseId}");
  }

  private static String optional(BadInput in, String name, String value) {
    return in.chance(0.75) ? name + "=" + BadInput.segment(value) + "&" : "";
  }

  private static String query(BadInput in, String... names) {
    return in.pick(List.of(names))
        + "="
        + BadInput.segment(in.pathParam())
        + "&"
        + BadInput.segment(in.draw(Gen.alpha(1, 6)))
        + "=1";
  }

  private static String numberText(BadInput in) {
    return in.chance(0.3) ? in.pathParam() : BadInput.text(in.draw(in.nastyNumbers()));
  }
}
