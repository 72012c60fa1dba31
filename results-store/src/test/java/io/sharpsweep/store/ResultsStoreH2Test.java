package io.sharpsweep.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.store.db.DatabaseKind;
import org.junit.jupiter.api.Test;

/**
 * The store's scenarios on the embedded default: an H2 file database (fresh under target/ per run).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class ResultsStoreH2Test extends ResultsStoreScenarios {
  @Override
  DatabaseKind expectedDatabase() {
    return DatabaseKind.H2;
  }

  @Test
  void documentsTheEndpointsInOpenApi() {
    given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths", hasKey("/v1/studies/{id}/best"))
        .body("paths", hasKey("/v1/studies/{id}/trials/{tid}/curve"))
        .body("paths.'/v1/studies/{id}/best'.get.responses", hasKey("400"))
        .body("paths", hasKey("/v1/studies/{id}/pareto"))
        .body("paths", hasKey("/v1/studies/{id}/rungs"))
        .body("paths", hasKey("/v1/studies/{id}/export"))
        .body("paths.'/v1/studies/{id}/pareto'.get.responses", hasKey("400"))
        .body("paths.'/v1/studies/{id}/export'.get.responses.'200'.content", hasKey("text/csv"))
        .body("components.schemas", hasKey("ErrorResponse"));
  }

  @Test
  void exposesTheOperatorsFiguresToPrometheus() {
    // the scenarios of this class have stored reports by the time the last test runs, but order is
    // not
    // guaranteed: only the series themselves are asserted
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            org.hamcrest.Matchers.containsString(
                "sharpsweep_reports_ingested_total{outcome=\"stored\""))
        .body(org.hamcrest.Matchers.containsString("sharpsweep_trials{state=\"completed\""))
        .body(org.hamcrest.Matchers.containsString("sharpsweep_trials{state=\"running\""));
  }
}
