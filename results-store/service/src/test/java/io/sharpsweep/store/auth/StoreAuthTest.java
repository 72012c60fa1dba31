package io.sharpsweep.store.auth;

import static io.restassured.RestAssured.given;
import static io.sharpsweep.store.auth.TokenProfiles.TOKEN;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.LeaseRequest;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.TrialIds;
import org.junit.jupiter.api.Test;

/**
 * The results-store with a token file: the control plane and the leases need the bearer token
 * (Quarkus Security, the shared mechanism of service-support); study reads, the export and health
 * stay open by default.
 */
@QuarkusTest
@TestProfile(TokenProfiles.WithToken.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class StoreAuthTest {
  static final String SPEC =
      """
      name: store-auth-test
      dataset: {name: synthetic}
      model: mlp
      objectives: [{metric: val_accuracy, goal: maximize}]
      space:
        - {name: lr, type: float, low: 0.001, high: 0.5, log: true}
      sampler: {type: random, seed: 3}
      scheduler: {maxEpochs: 2}
      budget: {trials: 2, parallelism: 1, maxAttempts: 2}
      """;

  private static RequestSpecification json(String token) {
    RequestSpecification r = given().contentType(ContentType.JSON);
    return token == null ? r : r.header("Authorization", "Bearer " + token);
  }

  private static byte[] newStudy() {
    long now = System.currentTimeMillis();
    return Json.encode(
        new CreateStudy(TrialIds.newStudyId(now), Json.decodeYaml(SPEC, StudySpec.class), now));
  }

  @Test
  void controlPlaneWritesNeedTheToken() {
    byte[] body = newStudy();
    json(null)
        .body(body)
        .post("/v1/control/studies")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", equalTo("Bearer"))
        .contentType(ContentType.JSON)
        .body("errors[0].field", equalTo("Authorization"))
        .body("errors[0].message", containsString("POST /v1/control/studies needs a bearer token"))
        .body("errors[0].message", containsString("sharpsweep-token"));
    json("wrong")
        .body(body)
        .post("/v1/control/studies")
        .then()
        .statusCode(401)
        .body("errors[0].message", containsString("not valid"))
        .body(not(containsString(TOKEN)));
    String id =
        json(TOKEN)
            .body(body)
            .post("/v1/control/studies")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    // reads of study data (and the CSV export) are open by default
    given().get("/v1/studies").then().statusCode(200);
    given().get("/v1/studies/" + id).then().statusCode(200);
    given().get("/v1/studies/" + id + "/export?format=csv").then().statusCode(200);
    // the control plane's reads are the scheduler's and KEDA's: always protected
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(401);
    json(TOKEN).get("/v1/control/queue").then().statusCode(200);
    given().get("/v1/control/queue").then().statusCode(401);
    json(null).body("{}").post("/v1/control/studies/" + id + "/cancel").then().statusCode(401);
  }

  @Test
  void leasesAndHeartbeatsNeedTheToken() {
    byte[] request = Json.encode(new LeaseRequest("auth-test-worker", 0));
    json(null).body(request).post("/v1/leases").then().statusCode(401);
    json("wrong").body(request).post("/v1/leases").then().statusCode(401);
    // authorised: the store answers (no segment of this worker's within 0 s, or a lease)
    json(TOKEN)
        .body(request)
        .post("/v1/leases")
        .then()
        .statusCode(org.hamcrest.Matchers.oneOf(200, 204));
    json(null).body("{}").post("/v1/leases/no-such-lease/heartbeat").then().statusCode(401);
    json(TOKEN)
        .body("{}")
        .post("/v1/leases/no-such-lease/heartbeat")
        .then()
        .statusCode(not(equalTo(401)));
  }

  @Test
  void healthMetricsAndTheDashboardStayOpen() {
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
    given().get("/").then().statusCode(200);
  }
}
