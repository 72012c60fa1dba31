package io.sharpsweep.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * One real KRaft broker for a test JVM's {@code @QuarkusTest}s: {@code @WithTestResource(value =
 * KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)}. It is started once and shared by
 * every test class of the JVM (and stopped when the JVM ends), on free loopback ports.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
  private static KafkaBroker broker;

  /** The JVM's shared broker, started on first use. */
  public static synchronized KafkaBroker shared() {
    if (broker == null) {
      broker = KafkaBroker.startEphemeral();
      KafkaBroker b = broker;
      Runtime.getRuntime().addShutdownHook(new Thread(b::close, "kafka-broker-test-shutdown"));
    }
    return broker;
  }

  @Override
  public Map<String, String> start() {
    return Map.of("kafka.bootstrap.servers", shared().bootstrapServers());
  }

  @Override
  public void stop() {
    // Shared across test classes and Quarkus restarts; closed by the shutdown hook when the JVM
    // ends.
  }
}
