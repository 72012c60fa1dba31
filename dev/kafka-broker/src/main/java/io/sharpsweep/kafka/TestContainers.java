package io.sharpsweep.kafka;

import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.function.Supplier;

/**
 * The container side of the test servers. With {@code -Ptestcontainers} (the system property
 * {@value #SWITCH}) the tests that use {@link KafkaBrokerResource} run against a Kafka container,
 * and the results-store's PostgreSQL tests against a PostgreSQL container, where Docker is
 * available; elsewhere they keep the embedded broker and the machine's PostgreSQL, and one line
 * says why the containers were skipped. The profile puts Testcontainers on the services' test
 * classpath; without it, no Testcontainers class is loaded.
 */
public final class TestContainers {
  /** The system property that {@code -Ptestcontainers} sets. */
  public static final String SWITCH = "sharpsweep.test.containers";

  /** The Kafka image: the broker version the services are built against. */
  public static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

  private static Boolean available;
  private static String kafkaBootstrap;

  private TestContainers() {}

  /** Whether this test run asked for containers. */
  public static boolean requested() {
    return Boolean.getBoolean(SWITCH);
  }

  /**
   * Whether containers were asked for and Docker answers; the first call that finds them asked for
   * but unavailable prints the one line that says so.
   */
  public static synchronized boolean active() {
    if (!requested()) {
      return false;
    }
    if (available == null) {
      String reason = dockerUnavailableReason();
      available = reason == null;
      if (reason != null) {
        System.err.println(
            "sharpsweep: Testcontainers run skipped: Docker is not available here ("
                + reason
                + "); these tests use the embedded Kafka broker and the machine's PostgreSQL");
      }
    }
    return available;
  }

  /** A Kafka container's bootstrap servers, started once per JVM, when {@link #active()}. */
  public static synchronized Optional<String> kafka() {
    if (!active()) {
      return Optional.empty();
    }
    if (kafkaBootstrap == null) {
      kafkaBootstrap = withLoaderOf(TestContainers.class, KafkaContainerStart::start);
    }
    return Optional.of(kafkaBootstrap);
  }

  /** Apart, so that the default build never loads a Testcontainers class. */
  private static final class KafkaContainerStart {
    static String start() {
      org.testcontainers.kafka.KafkaContainer kafka =
          new org.testcontainers.kafka.KafkaContainer(
              org.testcontainers.utility.DockerImageName.parse(KAFKA_IMAGE));
      kafka.start();
      Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-container-stop"));
      return kafka.getBootstrapServers();
    }
  }

  /**
   * Runs Testcontainers code with the context class loader of {@code anchor}'s: Testcontainers
   * finds its Docker client strategies through the context class loader, and a JUnit condition runs
   * under Quarkus's, where those classes are another copy ("not a subtype").
   */
  public static <T> T withLoaderOf(Class<?> anchor, Supplier<T> work) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(anchor.getClassLoader());
    try {
      return work.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static String dockerUnavailableReason() {
    try {
      return withLoaderOf(
          TestContainers.class,
          () ->
              org.testcontainers.DockerClientFactory.instance().isDockerAvailable()
                  ? null
                  : "no Docker environment found");
    } catch (NoClassDefFoundError e) {
      return "Testcontainers is not on the test classpath: run with -Ptestcontainers";
    } catch (RuntimeException | ServiceConfigurationError e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }
}
