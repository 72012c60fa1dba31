package io.sharpsweep.store.auth;

import static io.restassured.RestAssured.given;
import static io.sharpsweep.store.auth.TokenProfiles.TOKEN;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sharpsweep.kafka.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/** {@code sharpsweep.auth.protect-reads=true}: study reads and the export need the token too. */
@QuarkusTest
@TestProfile(TokenProfiles.WithProtectedReads.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class StoreProtectedReadsTest {
  @Test
  void readsNeedTheTokenAndHealthStaysOpen() {
    given()
        .get("/v1/studies")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", equalTo("Bearer"))
        .body("errors[0].field", equalTo("Authorization"))
        .body("errors[0].message", containsString("sharpsweep.auth.protect-reads=true"));
    given().get("/v1/studies/st-none/export?format=csv").then().statusCode(401);
    given().header("Authorization", "Bearer " + TOKEN).get("/v1/studies").then().statusCode(200);
    given().get("/q/health/live").then().statusCode(200);
  }
}
