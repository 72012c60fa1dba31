package io.sharpsweep.worker;

import io.sharpsweep.worker.lease.LeaseSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/** Alive while the lease loop's thread runs (or was stopped on purpose); down if it died. */
@Liveness
@ApplicationScoped
public class LeaseLoopHealthCheck implements HealthCheck {
  private final LeaseLoop loop;

  @Inject
  public LeaseLoopHealthCheck(LeaseLoop loop) {
    this.loop = loop;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named("lease-loop").withData("state", loop.state());
    LeaseSession s = loop.current();
    b.withData("lease", s == null ? "none" : s.leaseId());
    return b.status(loop.healthy()).build();
  }
}
