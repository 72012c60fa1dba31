package io.sharpsweep.store;

import io.sharpsweep.kafka.TestContainers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL server the PostgreSQL variant of the tests uses: {@code
 * -Dsharpsweep.test.postgres.url} (default {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code
 * .user} (default {@code postgres}) and {@code .password} (default empty, for trust
 * authentication); under {@code -Ptestcontainers}, where Docker is available, a PostgreSQL
 * container started once for the test JVM instead ({@link TestContainers}).
 */
final class PostgresTestServer {
  /** The image of the container run: the major version the Kubernetes base deploys. */
  static final String IMAGE = "postgres:17-alpine";

  private record Server(String url, String user, String password) {}

  private static final Server SERVER =
      TestContainers.active()
          ? TestContainers.withLoaderOf(PostgresTestServer.class, PostgresTestServer::container)
          : configured();

  static final String URL = SERVER.url();
  static final String USER = SERVER.user();
  static final String PASSWORD = SERVER.password();

  private PostgresTestServer() {}

  static Connection connect() throws SQLException {
    DriverManager.setLoginTimeout(3);
    return DriverManager.getConnection(URL, USER, PASSWORD);
  }

  private static Server configured() {
    return new Server(
        System.getProperty("sharpsweep.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test"),
        System.getProperty("sharpsweep.test.postgres.user", "postgres"),
        System.getProperty("sharpsweep.test.postgres.password", ""));
  }

  private static Server container() {
    org.testcontainers.postgresql.PostgreSQLContainer pg =
        new org.testcontainers.postgresql.PostgreSQLContainer(IMAGE);
    pg.start();
    Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "postgres-container-stop"));
    return new Server(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
  }
}
