package io.sharpsweep.sampler.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.protocol.testing.BadInput;
import io.sharpsweep.protocol.testing.BadInput.Answer;
import io.sharpsweep.protocol.testing.BadInput.Expect;
import io.sharpsweep.sampler.Requests;
import io.sharpsweep.sampler.gp.GpSampler;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Generated bad input against {@code POST /v1/suggest} (and the methods it does not take), in the
 * module's Quarkus application. {@link BadInput} has the rules every answer must follow and writes
 * the figure to {@code target/bad-input-sampler.json}.
 */
@QuarkusTest
class BadInputTest {
  static final long SEED = 20_260_502L;
  private static final String SUGGEST = "POST /v1/suggest";
  private static final List<String> CHEAP = List.of("random", "sobol", "tpe");

  @TestHTTPResource("/")
  URL base;

  @ConfigProperty(name = "quarkus.http.limits.max-body-size")
  MemorySize maxBody;

  @ConfigProperty(name = "sharpsweep.sampler.max-history")
  int maxHistory;

  /** The service's own mapper (it reads NaN and Infinity, so that they meet their rule). */
  @Inject ObjectMapper mapper;

  @Test
  void suggestAnswersBadInputWithA4xxNamingTheFieldAndNever5xx() throws Exception {
    long start = System.currentTimeMillis();
    BadInput in = new BadInput(base.toURI(), SEED, 3_000);
    JsonNode contract = BadInput.tree(Requests.CONTRACT);

    // the contract with every sampler: 200
    for (String type : List.of("random", "sobol", "tpe", "motpe", "gp", "parego")) {
      JsonNode body = withSampler(contract, type);
      if (type.equals("motpe") || type.equals("parego")) {
        body = twoObjectives(body);
      }
      Answer a =
          in.send(
              SUGGEST,
              "POST",
              "/v1/suggest",
              "application/json",
              BadInput.utf8(BadInput.text(body)),
              Expect.VALID,
              null);
      assertThat(a.status()).as(type).isEqualTo(200);
    }

    // mutated contracts with the cheap samplers: a 200 only for a valid request, with count answers
    for (int i = 0; i < 700; i++) {
      JsonNode body = in.mutate(withSampler(contract, in.pick(CHEAP)));
      String text = BadInput.text(body);
      in.send(
          SUGGEST,
          "POST",
          "/v1/suggest",
          "application/json",
          BadInput.utf8(text),
          Expect.ANY,
          acceptedOnlyIfValid(text));
    }
    // not a request at all
    for (int i = 0; i < 150; i++) {
      byte[] body = in.chance(0.1) ? new byte[0] : in.garbageBody();
      in.send(SUGGEST, "POST", "/v1/suggest", "application/json", body, Expect.INVALID, null);
    }
    // a valid request with a content type the endpoint does not read: 415
    for (int i = 0; i < 40; i++) {
      String type =
          in.pick(
              List.of(
                  "text/plain",
                  "application/xml",
                  "application/yaml",
                  "application/octet-stream",
                  "application/x-www-form-urlencoded",
                  "multipart/form-data; boundary=x"));
      in.send(
          SUGGEST,
          "POST",
          "/v1/suggest",
          type,
          BadInput.utf8(Requests.CONTRACT),
          Expect.INVALID,
          null);
    }

    // the limits, each refused before the sampler starts
    ObjectNode countTooLarge = (ObjectNode) contract.deepCopy();
    countTooLarge.put("count", 1001);
    expect400(in, countTooLarge, "count");
    ObjectNode countZero = (ObjectNode) contract.deepCopy();
    countZero.put("count", 0);
    expect400(in, countZero, "count");
    for (String type : List.of("gp", "parego")) {
      // Past the Sobol' start (10 observations), a batch above the GP's count cap.
      ObjectNode body = (ObjectNode) withHistory(withSampler(contract, type), 20);
      body.put("count", GpSampler.MAX_COUNT + 1);
      expect400(in, type.equals("parego") ? twoObjectives(body) : body, "count");
    }
    long t0 = System.nanoTime();
    expect400(in, withHistory(withSampler(contract, "tpe"), maxHistory), "observations");
    assertThat((System.nanoTime() - t0) / 1e9).as("max-history").isLessThan(5);
    for (int i = 0; i < 2; i++) {
      byte[] big = new byte[(int) maxBody.asLongValue() + 1 + i];
      java.util.Arrays.fill(big, (byte) ' ');
      Answer a =
          in.send(SUGGEST, "POST", "/v1/suggest", "application/json", big, Expect.INVALID, null);
      assertThat(a.status()).isEqualTo(413);
    }

    // methods the path does not take, and a path next to it
    for (int i = 0; i < 60; i++) {
      String method = in.pick(List.of("GET", "PUT", "DELETE", "PATCH"));
      in.send(
          method + " /v1/suggest (not allowed)",
          method,
          "/v1/suggest",
          method.equals("GET") ? null : "application/json",
          method.equals("GET") ? null : BadInput.utf8(Requests.CONTRACT),
          Expect.INVALID,
          null);
    }
    in.send(
        "POST /v1/suggest/{x} (no such path)",
        "POST",
        "/v1/suggest/" + BadInput.segment(in.pathParam()),
        "application/json",
        BadInput.utf8(Requests.CONTRACT),
        Expect.INVALID,
        null);

    List<String> failures = in.report("sampler", SEED, System.currentTimeMillis() - start);
    assertThat(failures).as(String.join("\n", failures)).isEmpty();
    assertThat(in.requests()).isGreaterThanOrEqualTo(900);
  }

  private static void expect400(BadInput in, JsonNode body, String field) {
    Answer a =
        in.send(
            SUGGEST,
            "POST",
            "/v1/suggest",
            "application/json",
            BadInput.utf8(BadInput.text(body)),
            Expect.INVALID,
            null);
    assertThat(a.status()).isEqualTo(400);
    assertThat(BadInput.tree(a.body()).get("errors").get(0).get("field").asText()).isEqualTo(field);
  }

  /** For a 200: the request must validate in-process and the answer hold count suggestions. */
  private Predicate<Answer> acceptedOnlyIfValid(String text) {
    return answer -> {
      try {
        SuggestRequest request = mapper.readValue(text, SuggestRequest.class);
        SuggestResponse response = Json.decode(answer.body(), SuggestResponse.class);
        return request.validate().isEmpty()
            && response.suggestions().size() == request.countOrDefault();
      } catch (RuntimeException | java.io.IOException e) {
        return false;
      }
    };
  }

  private static JsonNode withSampler(JsonNode contract, String type) {
    ObjectNode copy = (ObjectNode) contract.deepCopy();
    ((ObjectNode) copy.get("sampler")).put("type", type);
    return copy;
  }

  private static JsonNode twoObjectives(JsonNode body) {
    ObjectNode copy = (ObjectNode) body.deepCopy();
    ((ArrayNode) copy.get("objectives")).addObject().put("name", "cost").put("goal", "minimize");
    for (JsonNode o : copy.get("observations")) {
      ((ArrayNode) o.get("values")).add(1.0);
    }
    return copy;
  }

  /** {@code total} observations + pending: one more than the cap (the contract has 1 pending). */
  private static JsonNode withHistory(JsonNode body, int total) {
    ObjectNode copy = (ObjectNode) body.deepCopy();
    ArrayNode observations = copy.putArray("observations");
    for (int i = 0; i < total; i++) {
      ObjectNode o = observations.addObject();
      o.putObject("params")
          .put("x", -5 + (i % 150) / 10.0)
          .put("n", 1 + i % 8)
          .put("variant", "sgd");
      o.putArray("values").add(0.5 + 0.4 * Math.sin(i));
    }
    return copy;
  }
}
