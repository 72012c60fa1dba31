package io.sharpsweep.scheduler;

import static io.restassured.RestAssured.given;
import static io.sharpsweep.scheduler.TokenProfiles.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.scheduler.control.ControlEndpointResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scheduler with a token file: create, cancel, pause, resume, extend and enqueue need the
 * bearer token (Quarkus Security, the shared mechanism of service-support), reads and health stay
 * open, and the scheduler sends the token to the store and the sampler.
 */
@QuarkusTest
@TestProfile(TokenProfiles.WithToken.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SamplerEndpointResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ControlEndpointResource.class, scope = TestResourceScope.GLOBAL)
class StudyAuthTest {
  private static byte[] spec() {
    return StudyResourceTest.SPEC
        .replace("scheduler-test", "auth-test")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void createNeedsTheTokenAndTheSchedulerPassesItOn() {
    given()
        .contentType("application/yaml")
        .body(spec())
        .when()
        .post("/v1/studies")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", equalTo("Bearer"))
        .body("errors[0].field", equalTo("Authorization"))
        .body("errors[0].message", containsString("POST /v1/studies needs a bearer token"));
    given()
        .contentType("application/yaml")
        .header("Authorization", "Bearer not-" + TOKEN)
        .body(spec())
        .when()
        .post("/v1/studies")
        .then()
        .statusCode(401)
        .body("errors[0].message", containsString("not valid"))
        .body(not(containsString(TOKEN)));
    String id =
        given()
            .contentType("application/yaml")
            .header("Authorization", "Bearer " + TOKEN)
            .body(spec())
            .when()
            .post("/v1/studies")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    assertThat(id).startsWith("st-");
    // the scheduler's own calls carry the token: to the store (create, suggest-context, trials)
    // and to the sampler (suggest)
    assertThat(ControlEndpointResource.plane().authorizations).contains("Bearer " + TOKEN);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(SamplerEndpointResource.AUTHORIZATIONS).contains("Bearer " + TOKEN));

    for (String action : List.of("pause", "resume", "extend", "enqueue")) {
      given()
          .contentType("application/json")
          .body(action.equals("enqueue") ? "{\"preset\": \"papers\"}" : "{\"trials\": 1}")
          .when()
          .post("/v1/studies/" + id + "/" + action)
          .then()
          .statusCode(401);
    }
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .when()
        .post("/v1/studies/" + id + "/pause")
        .then()
        .statusCode(200)
        .body("state", equalTo("paused"));
    given().when().post("/v1/studies/" + id + "/cancel").then().statusCode(401);
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .when()
        .post("/v1/studies/" + id + "/cancel")
        .then()
        .statusCode(200)
        .body("state", equalTo("cancelled"));
  }

  @Test
  void readsAndHealthStayOpenByDefault() {
    given().when().get("/v1/studies").then().statusCode(200);
    given().when().get("/q/health/live").then().statusCode(200);
  }
}
