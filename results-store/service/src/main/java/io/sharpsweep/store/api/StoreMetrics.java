package io.sharpsweep.store.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.sharpsweep.protocol.api.Counts;
import io.sharpsweep.protocol.api.StudySummary;
import io.sharpsweep.store.query.StudyQueries;
import io.sharpsweep.store.service.LeaseDesk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What an operator watches on {@code /q/metrics}: trials by state over all studies ({@code
 * sharpsweep_trials{state=…}}); the ingestion rate is {@code sharpsweep_reports_ingested_total},
 * counted by the report consumer; {@code sharpsweep_lease_requests_waiting} is the workers' long
 * polls in line for a segment (idle workers). The counts are read from the database at most once
 * every few seconds.
 */
@ApplicationScoped
public class StoreMetrics {
  private static final long REFRESH_NANOS = 5_000_000_000L;

  private final StudyQueries queries;
  private final LeaseDesk desk;
  private volatile List<StudySummary> snapshot = List.of();
  private volatile long readAt;

  StoreMetrics(StudyQueries queries, LeaseDesk desk) {
    this.queries = queries;
    this.desk = desk;
  }

  void register(@Observes StartupEvent start, MeterRegistry registry) {
    gauge(registry, "running", Counts::running);
    gauge(registry, "parked", Counts::parked);
    gauge(registry, "completed", Counts::completed);
    gauge(registry, "failed", Counts::failed);
    Gauge.builder("sharpsweep.lease.requests.waiting", desk, LeaseDesk::waitingRequests)
        .description("lease requests (idle workers) waiting in line for a queued segment")
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String state, ToIntFunction<Counts> count) {
    Gauge.builder(
            "sharpsweep.trials",
            this,
            m -> m.studies().stream().mapToInt(s -> count.applyAsInt(s.trials())).sum())
        .tag("state", state)
        .description("trials of all studies in this state")
        .register(registry);
  }

  private List<StudySummary> studies() {
    long now = System.nanoTime();
    if (now - readAt > REFRESH_NANOS) {
      snapshot = queries.list();
      readAt = now;
    }
    return snapshot;
  }
}
