package io.sharpsweep.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Apache Kafka broker in KRaft mode (combined broker and controller), started from
 * Kafka's own Maven artifacts: no Docker, no tarball.
 *
 * <p>{@link #start} keeps its data: the log directory is formatted only when it holds no {@code
 * meta.properties} yet (a new cluster id is drawn then and kept there), so topics, records and
 * committed group offsets survive a stop and a restart, also after the process was killed: every
 * record is flushed to disk before it is acknowledged ({@code log.flush.interval.messages=1}). A
 * restarted node first waits out the broker registration of its previous run (the controller
 * answers {@code DUPLICATE_BROKER_REGISTRATION} until that session expires), which the short {@link
 * #SESSION_TIMEOUT_MS} keeps to a few seconds. {@link #startEphemeral} is a fresh broker in a
 * temporary directory that is deleted on close, for tests.
 */
public final class KafkaBroker implements AutoCloseable {
  /**
   * How long the controller keeps a broker registered without a heartbeat. A restarted node cannot
   * register again before its previous registration expired, so this bounds the restart wait; the
   * broker heartbeats its own in-process controller every {@link #HEARTBEAT_INTERVAL_MS}, so only a
   * stall of several heartbeats fences it (Kafka's defaults are 9 s and 2 s).
   */
  public static final int SESSION_TIMEOUT_MS = 3000;

  public static final int HEARTBEAT_INTERVAL_MS = 500;

  private final Path dataDir;
  private final boolean deleteOnClose;
  private final int brokerPort;
  private final KafkaRaftServer server;

  private KafkaBroker(Path dataDir, boolean deleteOnClose, int brokerPort, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.brokerPort = brokerPort;
    this.server = server;
  }

  /** Starts a broker on free loopback ports in a temporary directory that is deleted on close. */
  public static KafkaBroker startEphemeral() {
    try {
      return start(Files.createTempDirectory("sharpsweep-kafka-"), 0, 0, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the Kafka broker", e);
    }
  }

  /**
   * Starts a broker with its log in {@code dataDir/data}, formatting it first only if it is not
   * formatted yet (no {@code meta.properties}); otherwise the broker goes on with its topics,
   * records and offsets. A port of 0 picks a free one; the ports may differ from the previous
   * run's. Returns once the broker is serving.
   */
  public static KafkaBroker start(
      Path dataDir, int brokerPort, int controllerPort, boolean deleteOnClose) {
    int bport = brokerPort == 0 ? freePort() : brokerPort;
    int cport = controllerPort == 0 ? freePort() : controllerPort;
    Path logDir = dataDir.resolve("data");
    boolean formatted = isFormatted(logDir);
    if (!formatted) {
      // A directory without meta.properties is not a log Kafka can use (e.g. a format that was
      // interrupted): start it afresh.
      deleteRecursively(logDir);
    }
    Properties props = serverProperties(bport, cport, logDir);
    Path propsFile = dataDir.resolve("server.properties");
    try {
      Files.createDirectories(logDir);
      try (OutputStream out = Files.newOutputStream(propsFile)) {
        props.store(out, "SharpSweep local KRaft broker");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + propsFile, e);
    }
    if (!formatted) {
      format(logDir, propsFile);
    }
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    return new KafkaBroker(dataDir, deleteOnClose, bport, server);
  }

  /** Whether {@code logDir} holds a formatted Kafka log (its {@code meta.properties}). */
  static boolean isFormatted(Path logDir) {
    return Files.isRegularFile(logDir.resolve("meta.properties"));
  }

  /** The cluster id kept in {@code dataDir}'s {@code meta.properties}, if it is formatted. */
  public static java.util.Optional<String> clusterId(Path dataDir) {
    Path meta = dataDir.resolve("data").resolve("meta.properties");
    if (!Files.isRegularFile(meta)) {
      return java.util.Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(meta)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + meta, e);
    }
    return java.util.Optional.ofNullable(p.getProperty("cluster.id"));
  }

  private static void format(Path logDir, Path propsFile) {
    ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(formatLog, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                propsFile.toString(),
                "--ignore-formatted",
                "--standalone"
              },
              out);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "formatting the Kafka log directory "
              + logDir
              + " failed: "
              + formatLog.toString(StandardCharsets.UTF_8).trim());
    }
  }

  static Properties serverProperties(int brokerPort, int controllerPort, Path logDir) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "1");
    // A single node: every internal topic must have one replica, or consumer groups silently get
    // nothing.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    // Every record is on disk before it is acknowledged: a killed broker loses nothing it
    // acknowledged.
    p.put("log.flush.interval.messages", "1");
    p.put("broker.session.timeout.ms", String.valueOf(SESSION_TIMEOUT_MS));
    p.put("broker.heartbeat.interval.ms", String.valueOf(HEARTBEAT_INTERVAL_MS));
    return p;
  }

  /** {@code 127.0.0.1:PORT}, for {@code kafka.bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public int port() {
    return brokerPort;
  }

  /** Creates the topics (partitions each, one replica) unless they exist. */
  public void createTopics(Map<String, Integer> partitionsByTopic) {
    createTopics(bootstrapServers(), partitionsByTopic);
  }

  /**
   * Creates topics on any broker unless they exist; used by the local stack before the services
   * start.
   */
  public static void createTopics(String bootstrapServers, Map<String, Integer> partitionsByTopic) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing =
          partitionsByTopic.entrySet().stream()
              .filter(e -> !existing.contains(e.getKey()))
              .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
              .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create topics "
                + partitionsByTopic.keySet()
                + " on "
                + bootstrapServers
                + ": "
                + e.getCause().getMessage(),
            e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out creating topics on " + bootstrapServers, e);
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (deleteOnClose) {
      deleteRecursively(dataDir);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
