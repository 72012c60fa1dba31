package io.sharpsweep.store.db;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.Startup;
import io.sharpsweep.store.StoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The store's one database: whichever of the named datasources {@code h2} and {@code postgresql} is
 * active at run time ({@code sharpsweep.store.db}). Both are built into the artifact; the inactive
 * one is never connected to. An inactive datasource bean must not be injected directly (that fails
 * start-up), hence the {@link InjectableInstance}s. Created at start-up so that a wrong choice
 * fails the start, not the first request.
 */
@Startup
@ApplicationScoped
public class StoreDatabase {
  private static final Logger LOG = Logger.getLogger(StoreDatabase.class);

  /**
   * Unique violations (concurrent placeholder inserts), serialization failures, deadlocks, H2 lock
   * timeouts.
   */
  private static final Set<String> RETRYABLE_STATES =
      Set.of("23505", "40001", "40P01", "HYT00", "90131");

  private static final int ATTEMPTS = 3;

  private final javax.sql.DataSource dataSource;
  private final DatabaseKind kind;

  @Inject
  StoreDatabase(
      StoreConfig config,
      @DataSource("h2") InjectableInstance<AgroalDataSource> h2,
      @DataSource("postgresql") InjectableInstance<AgroalDataSource> postgresql) {
    boolean h2Active = h2.getHandle().getBean().isActive();
    boolean pgActive = postgresql.getHandle().getBean().isActive();
    if (h2Active == pgActive) {
      throw new IllegalStateException(
          "exactly one datasource must be active, but h2 is "
              + (h2Active ? "active" : "inactive")
              + " and postgresql is "
              + (pgActive ? "active" : "inactive")
              + ": choose with sharpsweep.store.db=h2|postgresql and do not set quarkus.datasource.\"...\".active yourself");
    }
    this.kind = h2Active ? DatabaseKind.H2 : DatabaseKind.POSTGRESQL;
    if (kind != config.db()) {
      throw new IllegalStateException(
          "sharpsweep.store.db="
              + config.db().datasourceName()
              + " but the active datasource is "
              + kind.datasourceName());
    }
    this.dataSource = h2Active ? h2.get() : postgresql.get();
    LOG.infof("results-store database: %s", kind.datasourceName());
  }

  /**
   * The store over a plain datasource already migrated (tests of the ingestion without the Quarkus
   * app).
   */
  public StoreDatabase(javax.sql.DataSource dataSource, DatabaseKind kind) {
    this.dataSource = dataSource;
    this.kind = kind;
  }

  public DatabaseKind kind() {
    return kind;
  }

  /**
   * Runs {@code work} in one transaction and commits it. Conflicts between concurrent writers (two
   * consumers creating the same placeholder row) roll back and run the work again, up to three
   * times; every write of the store is idempotent, so a rerun is safe.
   */
  public <T> T inTransaction(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c, e);
          throw e;
        }
      } catch (SQLException e) {
        // a pool's acquisition timeout carries no SQL state (Set.of refuses null)
        if (attempt < ATTEMPTS
            && e.getSQLState() != null
            && RETRYABLE_STATES.contains(e.getSQLState())) {
          LOG.debugf("%s: transient conflict (%s), retrying", what, e.getSQLState());
          continue;
        }
        throw new StoreException(what + " failed: " + e.getMessage(), e);
      }
    }
  }

  /** Runs read-only {@code work} on a connection in auto-commit mode. */
  public <T> T read(String what, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException r) {
      cause.addSuppressed(r);
    }
  }
}
