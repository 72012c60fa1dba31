package io.sharpsweep.worker;

import io.sharpsweep.worker.engine.TorchRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the training engine is loaded; says which segment is being trained. */
@Readiness
@ApplicationScoped
public class WorkerHealthCheck implements HealthCheck {
  private final TrainingService training;

  @Inject
  public WorkerHealthCheck(TrainingService training) {
    this.training = training;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named("training-engine")
            .withData("workerId", training.workerId())
            .withData("engine", TorchRuntime.ENGINE + " " + TorchRuntime.engine().getVersion())
            .withData("intraOpThreads", TorchRuntime.intraOpThreads());
    String segment = training.currentSegment();
    b.withData("segment", segment == null ? "idle" : segment);
    return b.up().build();
  }
}
