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
