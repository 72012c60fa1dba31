package io.sharpsweep.store.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sharpsweep.store.StoreConfig;
import io.sharpsweep.store.ingest.DecisionPublisher;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Every {@code sharpsweep.store.lease-reaper-interval}: expires overdue leases and finishing
 * segments ({@link LeaseDesk#reap}), then publishes decisions whose publication was interrupted
 * (the outbox sweep: a decision still unpublished after {@link #OUTBOX_GRACE}).
 *
 * <p>For one lease TTL after the store starts, nothing is expired: while the store was down no
 * worker could renew its lease, and the reports those workers sent meanwhile are still in Kafka,
 * not yet ingested. Judged at once, a live worker's lease would be taken from it, and an expiry
 * would look like one without progress and be charged to the trial. After the grace, a live worker
 * has renewed (or its reports are stored) and only the dead ones expire.
 */
@Singleton
public class LeaseReaper {
  private static final Logger LOG = Logger.getLogger(LeaseReaper.class);
  static final Duration OUTBOX_GRACE = Duration.ofSeconds(5);

  private final LeaseDesk desk;
  private final DecisionPublisher publisher;
  private final StoreClock clock;
  private final Duration interval;
  private final Duration startupGrace;
  private volatile Instant expiriesFrom = Instant.MAX;
  private ScheduledExecutorService executor;

  @Inject
  LeaseReaper(LeaseDesk desk, DecisionPublisher publisher, StoreClock clock, StoreConfig config) {
    this.desk = desk;
    this.publisher = publisher;
    this.clock = clock;
    this.interval = config.leaseReaperInterval();
    this.startupGrace = config.leaseTtl();
  }

  void start(@Observes StartupEvent event) {
    expiriesFrom = clock.now().plus(startupGrace);
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sharpsweep-lease-reaper");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    executor.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** One round: expiries, then the outbox sweep. Never throws (the schedule would stop). */
  public void tick() {
    try {
      if (!clock.now().isBefore(expiriesFrom)) {
        int n = desk.reap();
        if (n > 0) {
          LOG.debugf("reaper: %d overdue segment(s) handled", n);
        }
      }
      publisher.sweep(clock.now().minus(OUTBOX_GRACE));
    } catch (RuntimeException e) {
      LOG.warnf("reaper round failed, next in %s: %s", interval, e.getMessage());
    }
  }
}
