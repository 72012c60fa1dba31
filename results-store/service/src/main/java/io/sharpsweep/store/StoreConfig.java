package io.sharpsweep.store;

import io.sharpsweep.store.db.DatabaseKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The results-store's own settings ({@code sharpsweep.store.*}). The datasource keys in
 * application.properties are derived from these, so that one key chooses the database at run time.
 */
@ConfigMapping(prefix = "sharpsweep.store")
public interface StoreConfig {
  /**
   * Which of the two built-in datasources is active: {@code h2} (embedded file, default) or {@code
   * postgresql}.
   */
  @WithDefault("h2")
  DatabaseKind db();

  /** Directory of the H2 database file ({@code <data-dir>/store.mv.db}). */
  @WithDefault("./.sharpsweep/data")
  String dataDir();

  Postgresql postgresql();

  /** How long a lease runs without a heartbeat; workers renew it every third of it. */
  @WithDefault("6s")
  Duration leaseTtl();

  /** How often the reaper looks for expired leases and overdue finishing segments. */
  @WithDefault("1s")
  Duration leaseReaperInterval();

  /** How long a completed segment waits for its last report before it is trained again. */
  @WithDefault("2m")
  Duration finishingTimeout();

  /**
   * How often a waiting lease request looks at the database itself (for segments queued by another
   * replica); segments queued by this one wake it at once.
   */
  @WithDefault("1s")
  Duration leasePollRecheck();

  /**
   * The most reports of one study stored in one transaction. The transaction holds the study's
   * lock, which the workers' lease calls for that study wait for: fewer reports per transaction
   * shorten that wait, more save a little work per report.
   */
  @WithDefault("1000")
  int ingestChunk();

  /** Connection of the {@code postgresql} datasource (used only when {@code db=postgresql}). */
  interface Postgresql {
    @WithDefault("jdbc:postgresql://127.0.0.1:5432/test")
    String url();

    @WithDefault("postgres")
    String username();

    Optional<String> password();
  }
}
