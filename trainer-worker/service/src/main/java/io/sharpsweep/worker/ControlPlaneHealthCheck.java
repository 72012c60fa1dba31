package io.sharpsweep.worker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the results-store's control API answered the worker's last call (a lease request or a
 * heartbeat); down, with the reason, while it is unreachable or answers 5xx.
 */
@Readiness
@ApplicationScoped
public class ControlPlaneHealthCheck implements HealthCheck {
  private final LeaseLoop loop;

  @Inject
  public ControlPlaneHealthCheck(LeaseLoop loop) {
    this.loop = loop;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named("control-plane")
            .withData("url", loop.client().baseUrl().toString());
    String outage = loop.client().outageReason();
    if (outage != null) {
      b.withData("error", outage);
    }
    return b.status(outage == null).build();
  }
}
