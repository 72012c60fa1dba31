package io.sharpsweep.store;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh PostgreSQL schema for one test run, so that reruns and parallel builds never see each
 * other's rows; Flyway creates it at start, this drops it at the end.
 */
public class PostgresSchemaResource implements QuarkusTestResourceLifecycleManager {
  private String schema;

  @Override
  public Map<String, String> start() {
    schema = "store_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String url = PostgresTestServer.URL;
    return Map.of(
        "sharpsweep.store.db",
        "postgresql",
        "sharpsweep.store.postgresql.url",
        url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
        "sharpsweep.store.postgresql.username",
        PostgresTestServer.USER,
        "sharpsweep.store.postgresql.password",
        PostgresTestServer.PASSWORD,
        "quarkus.flyway.\"postgresql\".schemas",
        schema);
  }

  @Override
  public void stop() {
    if (schema == null) {
      return;
    }
    try (Connection c = PostgresTestServer.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot drop test schema " + schema + ": " + e.getMessage(), e);
    }
  }
}
