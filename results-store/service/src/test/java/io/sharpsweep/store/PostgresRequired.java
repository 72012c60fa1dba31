package io.sharpsweep.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only against a reachable PostgreSQL. Unreachable is a failure with a one-line
 * instruction, not a silent skip; {@code -Dsharpsweep.test.postgres=false} skips on purpose.
 * Checked before Quarkus starts, so the failure is this message rather than a start-up stack trace.
 */
public class PostgresRequired implements ExecutionCondition {
  static final String SWITCH = "sharpsweep.test.postgres";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if ("false".equalsIgnoreCase(System.getProperty(SWITCH, "true").trim())) {
      return ConditionEvaluationResult.disabled(
          "PostgreSQL tests skipped on purpose (-D" + SWITCH + "=false)");
    }
    try (Connection c = PostgresTestServer.connect()) {
      return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + PostgresTestServer.URL);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL is not reachable at "
              + PostgresTestServer.URL
              + " as "
              + PostgresTestServer.USER
              + " ("
              + e.getMessage().lines().findFirst().orElse("")
              + "): start it (pg_ctlcluster 15 main start; CI does) or skip these tests on purpose with -D"
              + SWITCH
              + "=false");
    }
  }
}
