package io.sharpsweep.scheduler.control;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A {@link FakeControlPlane} for a test JVM's {@code @QuarkusTest}s, standing in for the
 * results-store: the scheduler's {@code sharpsweep.scheduler.store-url} points at it.
 */
public class ControlEndpointResource implements QuarkusTestResourceLifecycleManager {
  private static FakeControlPlane plane;

  public static synchronized FakeControlPlane plane() {
    if (plane == null) {
      plane = new FakeControlPlane();
    }
    return plane;
  }

  @Override
  public Map<String, String> start() {
    return Map.of("sharpsweep.scheduler.store-url", plane().url());
  }

  @Override
  public void stop() {
    // shared by the JVM's test classes
  }
}
