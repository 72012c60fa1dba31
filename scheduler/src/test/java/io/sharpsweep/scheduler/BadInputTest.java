package io.sharpsweep.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.StudySpecValidator;
import io.sharpsweep.protocol.testing.BadInput;
import io.sharpsweep.protocol.testing.BadInput.Answer;
import io.sharpsweep.protocol.testing.BadInput.Expect;
import io.sharpsweep.protocol.testing.Gen;
import io.sharpsweep.scheduler.control.ControlEndpointResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Generated bad input against every endpoint and method of the scheduler's study API, in the same
 * Quarkus application as {@link StudyResourceTest} (the same test resources: the in-JVM broker, the
 * real sampler over HTTP, the control endpoint standing in for the store). {@link BadInput} has the
 * rules every answer must follow and writes the figure to {@code target/bad-input-scheduler.json}.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SamplerEndpointResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ControlEndpointResource.class, scope = TestResourceScope.GLOBAL)
class BadInputTest {
  static final long SEED = 20_260_501L;
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final List<String> YAML_TYPES =
      List.of("application/yaml", "application/x-yaml", "text/yaml");

  @TestHTTPResource("/")
  URL base;

  @Inject SchedulerConfig config;

  @ConfigProperty(name = "quarkus.http.limits.max-body-size")
  io.quarkus.runtime.configuration.MemorySize maxBody;

  @Test
  void everyEndpointAnswersBadInputWithA4xxNamingTheFieldAndNever5xx() throws Exception {
    long start = System.currentTimeMillis();
    BadInput in = new BadInput(base.toURI(), SEED, 3_000);
    JsonNode valid = YAML.readTree(StudyResourceTest.SPEC);
    String create = "POST /v1/studies";

    // valid studies, JSON and YAML: 201
    for (int i = 0; i < 20; i++) {
      boolean yaml = i % 2 == 1;
      String body = yaml ? StudyResourceTest.SPEC : BadInput.text(valid);
      Answer a =
          in.send(
              create,
              "POST",
              "/v1/studies",
              yaml ? in.pick(YAML_TYPES) : "application/json",
              BadInput.utf8(body),
              Expect.VALID,
              null);
      assertThat(a.status()).isEqualTo(201);
    }
    String id =
        BadInput.tree(
                in.send(
                        create,
                        "POST",
                        "/v1/studies",
                        "application/json",
                        BadInput.utf8(BadInput.text(valid)))
                    .body())
            .get("id")
            .asText();

    // mutated specs as JSON: a 2xx only when the spec is valid
    for (int i = 0; i < 450; i++) {
      String body = BadInput.text(in.mutate(valid));
      in.send(
          create,
          "POST",
          "/v1/studies",
          in.pick(List.of("application/json", "application/json; charset=utf-8")),
          BadInput.utf8(body),
          Expect.ANY,
          acceptedOnlyIfValid(body, false));
    }
    // mutated specs as YAML, and YAML's own traps
    for (int i = 0; i < 200; i++) {
      String body =
          i % 4 == 3
              ? yamlTrap(in)
              : YAML.writeValueAsString(in.mutate(valid)).replace("\u0001", "");
      in.send(
          create,
          "POST",
          "/v1/studies",
          in.pick(YAML_TYPES),
          BadInput.utf8(body),
          Expect.ANY,
          acceptedOnlyIfValid(body, true));
    }
    // not a study at all, as JSON or YAML
    for (int i = 0; i < 150; i++) {
      String type = in.pick(List.of("application/json", "application/yaml", "text/yaml"));
      byte[] body = in.chance(0.1) ? new byte[0] : in.garbageBody();
      in.send(create, "POST", "/v1/studies", type, body, Expect.INVALID, null);
    }
    // a valid study with a content type the endpoint does not read: 415
    for (int i = 0; i < 40; i++) {
      String type =
          in.pick(
              List.of(
                  "text/plain",
                  "application/xml",
                  "application/octet-stream",
                  "multipart/form-data; boundary=x",
                  "application/x-www-form-urlencoded",
                  "image/png",
                  "application/jsonx"));
      in.send(
          create,
          "POST",
          "/v1/studies",
          type,
          BadInput.utf8(BadInput.text(valid)),
          Expect.INVALID,
          null);
    }
    // bodies above quarkus.http.limits.max-body-size: 413, before the body is read
    for (int i = 0; i < 3; i++) {
      byte[] big = new byte[(int) maxBody.asLongValue() + 1 + i * 1000];
      java.util.Arrays.fill(big, (byte) ' ');
      big[0] = '{';
      big[big.length - 1] = '}';
      Answer a =
          in.send(create, "POST", "/v1/studies", "application/json", big, Expect.INVALID, null);
      assertThat(a.status()).isEqualTo(413);
    }
    byte[] big = new byte[(int) maxBody.asLongValue() * 2];
    java.util.Arrays.fill(big, (byte) ' ');
    in.sendChunkedAboveLimit(create, "/v1/studies", "application/json", big);

    // show and cancel: generated ids (404 naming the id), the real one
    for (int i = 0; i < 200; i++) {
      String raw = i % 10 == 0 ? id : in.pathParam();
      String path = "/v1/studies/" + BadInput.segment(raw);
      if (raw.isEmpty()) {
        continue;
      }
      in.send("GET /v1/studies/{id}", "GET", path, null, null);
      if (i % 2 == 0) {
        byte[] body = in.chance(0.5) ? null : in.garbageBody();
        String type = body == null ? null : in.pick(List.of("application/json", "text/plain"));
        in.send("POST /v1/studies/{id}/cancel", "POST", path + "/cancel", type, body);
      }
    }
    // a request line above quarkus.http.limits.max-initial-line-length (4096): the HTTP codec's 414
    in.sendRefusedByCodec("GET /v1/studies/{id}", "/v1/studies/" + "x".repeat(5_000), 414);
    // the list, with query parameters it does not read
    for (int i = 0; i < 30; i++) {
      String q =
          BadInput.segment(in.draw(Gen.alpha(1, 6))) + "=" + BadInput.segment(in.pathParam());
      in.send("GET /v1/studies", "GET", "/v1/studies?" + q, null, null, Expect.VALID, null);
    }
    // methods the paths do not have: 405
    for (int i = 0; i < 60; i++) {
      String method = in.pick(List.of("PUT", "DELETE", "PATCH"));
      String path =
          in.pick(List.of("/v1/studies", "/v1/studies/" + id, "/v1/studies/" + id + "/cancel"));
      in.send(
          method + " (not allowed)",
          method,
          path,
          "application/json",
          BadInput.utf8("{}"),
          Expect.INVALID,
          null);
    }
    in.send(
        "GET /v1/studies/{id}/cancel (not allowed)",
        "GET",
        "/v1/studies/" + id + "/cancel",
        null,
        null,
        Expect.INVALID,
        null);

    List<String> failures = in.report("scheduler", SEED, System.currentTimeMillis() - start);
    assertThat(failures).as(String.join("\n", failures)).isEmpty();
    assertThat(in.requests()).isGreaterThanOrEqualTo(1_000);
  }

  /** For a 2xx: the spec must decode and pass the validator in-process. */
  private Predicate<Answer> acceptedOnlyIfValid(String body, boolean yaml) {
    return answer -> {
      try {
        StudySpec spec =
            yaml ? Json.decodeYaml(body, StudySpec.class) : Json.decode(body, StudySpec.class);
        return StudySpecValidator.validate(spec, config.maxDatasetBytes()).isEmpty();
      } catch (RuntimeException e) {
        return false;
      }
    };
  }

  /** YAML that is hard to read: aliases, tags, tabs, several documents, duplicate keys. */
  private static String yamlTrap(BadInput in) {
    return switch (in.random().nextInt(8)) {
      case 0 ->
          "a: &a [x, x, x, x, x, x, x, x, x]\n"
              + "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
              + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
              + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
              + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
              + "name: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
      case 1 -> "name: !!java.net.URL [\"http://127.0.0.1:1/\"]\nmodel: mlp\n";
      case 2 -> "name: x\n\tmodel: mlp\n";
      case 3 -> StudyResourceTest.SPEC + "---\n" + StudyResourceTest.SPEC;
      case 4 -> StudyResourceTest.SPEC + "name: again\n";
      case 5 -> "budget: {trials: 0x7fffffffffffffff, parallelism: .inf}\n";
      case 6 -> "? [a, b]\n: c\n";
      default ->
          new String(in.garbageBody(), StandardCharsets.UTF_8).replace('\u0000', ' ') + "\n: : :";
    };
  }
}
