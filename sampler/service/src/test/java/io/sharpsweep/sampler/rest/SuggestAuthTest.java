package io.sharpsweep.sampler.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.sharpsweep.sampler.Requests;
import io.sharpsweep.service.auth.TokenFileProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sampler with a token file: {@code POST /v1/suggest} (compute-spending) needs the bearer
 * token, checked by the real Quarkus Security mechanism; health stays open.
 */
@QuarkusTest
@TestProfile(SuggestAuthTest.WithToken.class)
class SuggestAuthTest {
  static final String TOKEN = "sampler-test-token-0123456789";

  /** {@code sharpsweep.auth.token-file} pointing at a fresh file holding {@link #TOKEN}. */
  public static class WithToken extends TokenFileProfile {
    public WithToken() {
      super(TOKEN, Map.of());
    }
  }

  @Test
  void suggestWithoutATokenIs401NamingTheRule() {
    given()
        .contentType(ContentType.JSON)
        .body(Requests.CONTRACT)
        .when()
        .post("/v1/suggest")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", equalTo("Bearer"))
        .contentType(ContentType.JSON)
        .body("errors", hasSize(1))
        .body("errors[0].field", equalTo("Authorization"))
        .body("errors[0].message", containsString("POST /v1/suggest needs a bearer token"))
        .body("errors[0].message", containsString("sharpsweep-token"));
  }

  @Test
  void suggestWithAWrongTokenIs401() {
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", "Bearer " + TOKEN + "x")
        .body(Requests.CONTRACT)
        .when()
        .post("/v1/suggest")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"))
        .body("errors[0].field", equalTo("Authorization"))
        .body("errors[0].message", containsString("not valid"))
        .body(org.hamcrest.Matchers.not(containsString(TOKEN)));
  }

  @Test
  void suggestWithTheTokenAnswers() {
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", "Bearer " + TOKEN)
        .body(Requests.CONTRACT)
        .when()
        .post("/v1/suggest")
        .then()
        .statusCode(200)
        .body("suggestions", hasSize(2));
  }

  @Test
  void healthAndTheOpenApiDocumentStayOpen() {
    given().when().get("/q/health/live").then().statusCode(200);
    given().when().get("/q/openapi").then().statusCode(200);
  }
}
