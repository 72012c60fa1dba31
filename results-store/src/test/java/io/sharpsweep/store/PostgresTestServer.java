package io.sharpsweep.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL server the PostgreSQL variant of the tests uses: {@code
 * -Dsharpsweep.test.postgres.url} (default {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code
 * .user} (default {@code postgres}) and {@code .password} (default empty, for trust
 * authentication).
 */
final class PostgresTestServer {
  static final String URL =
      System.getProperty("sharpsweep.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String USER = System.getProperty("sharpsweep.test.postgres.user", "postgres");
  static final String PASSWORD = System.getProperty("sharpsweep.test.postgres.password", "");

  private PostgresTestServer() {}

  static Connection connect() throws SQLException {
    DriverManager.setLoginTimeout(3);
    return DriverManager.getConnection(URL, USER, PASSWORD);
  }
}
