package io.sharpsweep.sampler.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.protocol.suggest.Suggestion;
import io.sharpsweep.sampler.Requests;
import io.sharpsweep.sampler.gp.GpSampler;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SuggestResourceTest {
  private static final String C = Requests.CONTRACT;

  private static ValidatableResponse post(String body) {
    return given().contentType(ContentType.JSON).body(body).when().post("/v1/suggest").then();
  }

  /** A 400 in the errors shape whose one error names {@code field}. */
  private static ValidatableResponse badRequest(String body, String field) {
    return post(body)
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("errors", hasSize(1))
        .body("errors[0].field", equalTo(field));
  }

  @Test
  void theContractExampleGetsTwoLegalSuggestions() {
    String body =
        post(C)
            .statusCode(200)
            .contentType(ContentType.JSON)
            .body("suggestions", hasSize(2))
            .extract()
            .asString();
    SuggestResponse response = Json.decode(body, SuggestResponse.class);
    SuggestRequest request = Json.decode(C, SuggestRequest.class);
    for (Suggestion s : response.suggestions()) {
      assertThat(request.space().checkAssignment(s.params(), "params")).isEmpty();
      assertThat(s.params().get("n")).isInstanceOf(Integer.class); // a JSON integer, not 3.0
    }
    assertThat(body).doesNotContain("\"n\":1.0").doesNotContain("\"n\":2.0");
  }

  @Test
  void theSameRequestGetsTheSameBody() {
    String first = post(C).statusCode(200).extract().asString();
    String second = post(C).statusCode(200).extract().asString();
    assertThat(second).isEqualTo(first);
    String sobol = post(C.replace("\"random\"", "\"sobol\"")).statusCode(200).extract().asString();
    assertThat(sobol)
        .isNotEqualTo(first)
        .isEqualTo(post(C.replace("\"random\"", "\"sobol\"")).extract().asString());
  }

  @Test
  void anEmptyRangeIsNamed() {
    badRequest(
            C.replace("\"low\": -5, \"high\": 10", "\"low\": 11, \"high\": 10"),
            "space.params[0].low")
        .body("errors[0].message", containsString("range is empty"));
  }

  @Test
  void aLogScaleNeedsAPositiveLowerBound() {
    badRequest(
            C.replace(
                "\"low\": -5, \"high\": 10, \"log\": false",
                "\"low\": 0, \"high\": 10, \"log\": true"),
            "space.params[0].low")
        .body("errors[0].message", containsString("positive"));
  }

  @Test
  void anUnknownParentIsNamed() {
    badRequest(
            C.replace("{\"variant\": [\"esam\"]}", "{\"optimizer\": [\"esam\"]}"),
            "space.params[3].when.optimizer")
        .body("errors[0].message", containsString("unknown parent"));
  }

  @Test
  void anObservationOutsideTheSpaceIsNamed() {
    badRequest(C.replace("\"x\": 1.5", "\"x\": 11.5"), "observations[0].params.x");
  }

  @Test
  void aNullOrNaNObjectiveValueIsNamed() {
    badRequest(C.replace("[0.91]", "[null]"), "observations[0].values[0]")
        .body("errors[0].message", containsString("finite"));
    badRequest(C.replace("[0.91]", "[NaN]"), "observations[0].values[0]")
        .body("errors[0].message", containsString("finite"));
    badRequest(C.replace("[0.91]", "[\"NaN\"]"), "observations[0].values[0]");
    badRequest(C.replace("[0.91]", "[-Infinity]"), "observations[0].values[0]");
  }

  @Test
  void modelBasedSamplersAnswerAndCheckTheirOptions() {
    for (String type : new String[] {"tpe", "gp", "parego", "motpe"}) {
      post(C.replace("\"type\": \"random\"", "\"type\": \"" + type + "\""))
          .statusCode(200)
          .body("suggestions", hasSize(2));
    }
    badRequest(
            C.replace("\"type\": \"random\"", "\"type\": \"tpe\"")
                .replace("\"options\": {}", "\"options\": {\"gamma\": 2}"),
            "sampler.options.gamma")
        .body("errors[0].message", containsString("must be in [0.0, 1.0]"));
    String twoObjectives =
        C.replace("\"type\": \"random\"", "\"type\": \"gp\"")
            .replace(
                "[{\"name\": \"val_accuracy\", \"goal\": \"maximize\"}]",
                "[{\"name\": \"val_accuracy\", \"goal\": \"maximize\"},"
                    + " {\"name\": \"cost\", \"goal\": \"minimize\"}]")
            .replace("[0.91]", "[0.91, 3.0]");
    badRequest(
            twoObjectives.replace("\"options\": {}", "\"options\": {\"n_startup_trials\": 1}"),
            "objectives")
        .body("errors[0].message", containsString("parego"));
  }

  @Test
  void nullElementsOfTheRequestsListsAreNamed() {
    badRequest(
            C.replace("{\"space\": {\"params\": [", "{\"space\": {\"params\": [null, "),
            "space.params[0]")
        .body("errors[0].message", equalTo("must not be null"));
    badRequest(
            C.replace("[{\"name\": \"val_accuracy\", \"goal\": \"maximize\"}]", "[null]"),
            "objectives[0]")
        .body("errors[0].message", equalTo("must not be null"));
    badRequest(
            C.replace("\"choices\": [\"sgd\",", "\"choices\": [null, \"sgd\","),
            "space.params[2].choices[0]")
        .body("errors[0].message", equalTo("must not be null"));
    badRequest(
            C.replace("{\"variant\": [\"esam\"]}", "{\"variant\": [null]}"),
            "space.params[3].when.variant[0]")
        .body("errors[0].message", equalTo("must not be null"));
    badRequest(C.replace("\"observations\": [", "\"observations\": [null, "), "observations[0]")
        .body("errors[0].message", equalTo("must not be null"));
  }

  @Test
  void aParameterWithoutANameBeforeAConditionalOneIsNamed() {
    badRequest(
            C.replace("{\"name\": \"x\", \"type\": \"float\"", "{\"type\": \"float\""),
            "space.params[0].name")
        .body("errors[0].message", equalTo("is required"));
    String noParent =
        """
        {"space": {"params": [
           {"type": "float", "low": 0, "high": 1},
           {"name": "rho", "type": "float", "low": 0.01, "high": 0.5, "when": {"variant": ["sam"]}}]},
         "objectives": [{"name": "val_accuracy", "goal": "maximize"}],
         "sampler": {"type": "tpe", "seed": 7}}
        """;
    post(noParent)
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("errors.field", hasItem("space.params[0].name"));
  }

  /** The contract's space and objective with {@code n} observations (distinct, inside it). */
  private static String withObservations(String type, int n) {
    StringBuilder obs = new StringBuilder();
    for (int i = 0; i < n; i++) {
      obs.append(i == 0 ? "" : ",")
          .append("{\"params\": {\"x\": ")
          .append(-5 + 15.0 * i / n)
          .append(", \"n\": ")
          .append(1 + i % 8)
          .append(", \"variant\": \"sgd\"}, \"values\": [")
          .append(0.5 + 0.4 * Math.sin(i))
          .append("]}");
    }
    return C.replace("\"type\": \"random\"", "\"type\": \"" + type + "\"")
        .replace(
            "[{\"params\": {\"x\": 1.5, \"n\": 3, \"variant\": \"sgd\"}, \"values\": [0.91]}]",
            "[" + obs + "]");
  }

  @Test
  void aGaussianProcessAnswersALongHistoryFromItsCappedSubset() {
    for (String type : new String[] {"gp", "parego"}) {
      String body = withObservations(type, 10_000);
      if (type.equals("parego")) {
        body =
            body.replace(
                    "[{\"name\": \"val_accuracy\", \"goal\": \"maximize\"}]",
                    "[{\"name\": \"val_accuracy\", \"goal\": \"maximize\"},"
                        + " {\"name\": \"cost\", \"goal\": \"minimize\"}]")
                .replaceAll("\"values\": \\[([^\\]]*)\\]", "\"values\": [$1, 1.0]");
      }
      post(body).statusCode(200).body("suggestions", hasSize(2));
    }
    // A batch above the GP's count cap is refused, naming count.
    badRequest(withObservations("gp", 20).replace("\"count\": 2", "\"count\": 101"), "count")
        .body("errors[0].message", containsString("at most " + GpSampler.MAX_COUNT));
    // The service's max-history: 20,000 + 1 pending is refused.
    badRequest(withObservations("tpe", 20_000), "observations")
        .body("errors[0].message", containsString("20001 points"))
        .body("errors[0].message", containsString("sharpsweep.sampler.max-history"));
  }

  @Test
  void anUnknownSamplerListsTheKnownOnes() {
    badRequest(C.replace("\"type\": \"random\"", "\"type\": \"annealing\""), "sampler.type")
        .body("errors[0].message", containsString("[gp, motpe, parego, random, sobol, tpe]"));
    badRequest(
        C.replace("\"options\": {}", "\"options\": {\"shift\": true}"), "sampler.options.shift");
  }

  @Test
  void aCountOfZeroIsRefused() {
    badRequest(C.replace("\"count\": 2", "\"count\": 0"), "count");
  }

  @Test
  void malformedJsonIsA400WithTheErrorsShape() {
    post(C.substring(0, C.length() - 10))
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("errors[0].message", startsWith("malformed JSON"));
    badRequest(C.replace("\"low\": -5", "\"low\": abc"), "space.params[0].low")
        .body("errors[0].message", startsWith("malformed JSON"));
    post("not json").statusCode(400).body("errors[0].field", equalTo("body"));
  }

  @Test
  void wrongTypesAreNamed() {
    badRequest(C.replace("\"low\": -5", "\"low\": \"abc\""), "space.params[0].low")
        .body("errors[0].message", containsString("as a number"));
    badRequest(
            C.replace("\"type\": \"float\", \"low\": -5", "\"type\": \"floaty\", \"low\": -5"),
            "space.params[0].type")
        .body("errors[0].message", containsString("unknown parameter type 'floaty'"));
    badRequest(C.replace("\"count\": 2", "\"count\": 2.5"), "count");
    badRequest(C.replace("\"goal\": \"maximize\"", "\"goal\": \"up\""), "objectives[0].goal");
    badRequest(C.replace("\"params\": [", "\"params\": 5, \"x\": ["), "space.params")
        .body("errors[0].message", equalTo("must be a JSON array"));
    badRequest(C.replace("\"count\": 2", "\"count\": 99999999999"), "count")
        .body("errors[0].message", containsString("out of range"));
    badRequest("[]", "body").body("errors[0].message", equalTo("must be a JSON object"));
  }

  @Test
  void aMissingBodyIsRefused() {
    given()
        .contentType(ContentType.JSON)
        .when()
        .post("/v1/suggest")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("body"));
    post("null").statusCode(400).body("errors[0].field", equalTo("body"));
  }

  @Test
  void latencyIsTimedBySamplerAndOutcome() {
    post(C).statusCode(200);
    post(C.replace("\"count\": 2", "\"count\": 0")).statusCode(400);
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .containsPattern(
            "sharpsweep_suggest_seconds_count\\{[^}]*outcome=\"ok\"[^}]*sampler=\"random\"");
    assertThat(metrics)
        .containsPattern(
            "sharpsweep_suggest_seconds_count\\{[^}]*outcome=\"invalid\"[^}]*sampler=\"random\"");
  }

  @Test
  void theOpenApiDocumentDescribesTheEndpoint() {
    given()
        .accept(ContentType.JSON)
        .when()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths.'/v1/suggest'.post.summary", equalTo("Propose configurations"))
        .body("paths.'/v1/suggest'.post.responses.keySet()", hasItem("400"));
  }

  @Test
  void healthIsUp() {
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }
}
