package io.sharpsweep.scheduler;

import static io.restassured.RestAssured.given;
import static io.sharpsweep.scheduler.TokenProfiles.TOKEN;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.scheduler.control.ControlEndpointResource;
import org.junit.jupiter.api.Test;

/** {@code sharpsweep.auth.protect-reads=true}: the study reads need the token too; health not. */
@QuarkusTest
@TestProfile(TokenProfiles.WithProtectedReads.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SamplerEndpointResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ControlEndpointResource.class, scope = TestResourceScope.GLOBAL)
class StudyProtectedReadsTest {
  @Test
  void readsNeedTheTokenAndHealthStaysOpen() {
    given()
        .when()
        .get("/v1/studies")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", equalTo("Bearer"))
        .body("errors[0].message", containsString("sharpsweep.auth.protect-reads=true"));
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .when()
        .get("/v1/studies")
        .then()
        .statusCode(200);
    given().when().get("/q/health/live").then().statusCode(200);
  }
}
