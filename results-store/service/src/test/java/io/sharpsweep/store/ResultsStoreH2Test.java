package io.sharpsweep.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.study.MetricCatalogue;
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
        .body("paths", hasKey("/v1/metrics"))
        .body("paths.'/v1/studies/{id}/pareto'.get.responses", hasKey("400"))
        .body("paths.'/v1/studies/{id}/export'.get.responses.'200'.content", hasKey("text/csv"))
        .body("components.schemas", hasKey("ErrorResponse"));
  }

  @Test
  void servesTheMetricCatalogueTheDashboardReads() {
    given()
        .accept("application/json")
        .get("/v1/metrics")
        .then()
        .statusCode(200)
        .body("name", contains(MetricCatalogue.names().toArray()))
        .body("[0].goal", equalTo("maximize"))
        .body("[0].field", equalTo("metrics.valAccuracy"))
        .body("[0].digits", equalTo(4))
        .body("[4].name", equalTo("sgd_epoch_equivalents"))
        .body("[4].cost", equalTo(true))
        .body("[4].column", equalTo("sgd_epoch_equivalents"))
        .body("[4].unit", equalTo("SGD epochs"))
        .body("[0]", not(hasKey("reader")));
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
