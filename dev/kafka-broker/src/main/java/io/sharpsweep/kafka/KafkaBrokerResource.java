package io.sharpsweep.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * One real Kafka broker for a test JVM's {@code @QuarkusTest}s: {@code @WithTestResource(value =
 * KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)}. It is started once and shared by
 * every test class of the JVM (and stopped when the JVM ends): the embedded KRaft broker on free
 * loopback ports, or a Kafka container under {@code -Ptestcontainers} where Docker is available
 * ({@link TestContainers}).
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
  private static KafkaBroker broker;
  private static String bootstrapServers;

  /** The bootstrap servers of the JVM's test broker, started on first use. */
  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      bootstrapServers = TestContainers.kafka().orElseGet(() -> shared().bootstrapServers());
    }
    return bootstrapServers;
  }

  /** The JVM's embedded broker, started on first use (tests that restart it need this one). */
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
    return Map.of("kafka.bootstrap.servers", bootstrapServers());
  }

  @Override
  public void stop() {
    // Shared across test classes and Quarkus restarts; closed by the shutdown hook when the JVM
    // ends.
  }
}
