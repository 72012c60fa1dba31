package io.sharpsweep.cli.stack;

import io.sharpsweep.kafka.KafkaBroker;
import io.sharpsweep.protocol.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole of SharpSweep on one machine: a KRaft Kafka broker, the results-store (H2 file database
 * by default), the sampler, the scheduler and N trainer-workers, each its own JVM with its log
 * under {@code workDir/logs}. Started in dependency order, each waited for (TCP for the broker,
 * {@code /q/health/ready} for the services); stopped in reverse order so no consumer is left in a
 * group of a dead broker.
 */
public final class LocalStack implements AutoCloseable {
  /**
   * Partitions of the topics the local stack creates (assignments: more than the largest worker
   * pool).
   */
  static final Map<String, Integer> TOPICS =
      Map.of(
          Topics.ASSIGNMENTS,
          Topics.ASSIGNMENT_PARTITIONS,
          Topics.REPORTS,
          4,
          Topics.DECISIONS,
          1,
          Topics.STUDIES,
          1,
          Topics.DEAD_LETTER,
          1);

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final StackOptions options;
  private final List<ServiceProcess> processes = new ArrayList<>();
  private final Map<String, String> urls = new LinkedHashMap<>();
  private String bootstrapServers;

  private LocalStack(StackOptions options) {
    this.options = options;
  }

  /**
   * Starts every process, or stops what was started and throws a {@link StackException} naming the
   * failure.
   */
  public static LocalStack start(StackOptions options, java.util.function.Consumer<String> say) {
    LocalStack stack = new LocalStack(options);
    try {
      stack.startAll(say);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(java.util.function.Consumer<String> say) {
    for (String module : List.of("results-store", "sampler", "scheduler", "trainer-worker")) {
      Path jar = runJar(module);
      if (!Files.isRegularFile(jar)) {
        throw new StackException(
            module
                + " is not built ("
                + jar
                + " is missing): run ./sharpsweep again, which builds it, or mvn -DskipTests install");
      }
    }
    Path logs = options.workDir().resolve("logs");
    int brokerPort = freePort();
    int controllerPort = freePort();
    say.accept("starting Kafka (KRaft) on 127.0.0.1:" + brokerPort);
    ServiceProcess broker =
        ServiceProcess.start(
            "kafka",
            ServiceProcess.javaCommand(
                List.of(
                    "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")),
                List.of(
                    "io.sharpsweep.kafka.KafkaBrokerMain",
                    options.workDir().resolve("kafka").toString(),
                    String.valueOf(brokerPort),
                    String.valueOf(controllerPort))),
            Map.of(),
            logs.resolve("kafka.log"),
            null);
    processes.add(broker);
    bootstrapServers = "127.0.0.1:" + brokerPort;
    awaitLogLine(broker, "READY ");
    KafkaBroker.createTopics(bootstrapServers, TOPICS);

    Map<String, String> common = new LinkedHashMap<>();
    common.put("kafka.bootstrap.servers", bootstrapServers);
    common.putAll(options.extraProperties());

    int storePort = freePort();
    Map<String, String> store = new LinkedHashMap<>(common);
    store.put("sharpsweep.store.db", options.database());
    store.put("sharpsweep.store.data-dir", options.workDir().resolve("store").toString());
    startService("results-store", "results-store", storePort, store, Map.of(), logs, say);

    int samplerPort = freePort();
    startService("sampler", "sampler", samplerPort, common, Map.of(), logs, say);

    int schedulerPort = freePort();
    Map<String, String> sched = new LinkedHashMap<>(common);
    sched.put("sharpsweep.scheduler.sampler-url", urls.get("sampler"));
    startService("scheduler", "scheduler", schedulerPort, sched, Map.of(), logs, say);

    for (int i = 1; i <= options.workers(); i++) {
      Map<String, String> worker = new LinkedHashMap<>(common);
      worker.put("sharpsweep.worker.id", "local-worker-" + i);
      worker.put("sharpsweep.worker.threads", String.valueOf(options.workerThreads()));
      worker.put(
          "sharpsweep.worker.checkpoint-dir", options.workDir().resolve("checkpoints").toString());
      worker.put("sharpsweep.worker.fashion-mnist-dir", options.datasetDir().toString());
      worker.put("ai.djl.offline", "true");
      worker.put("ai.djl.pytorch.num_interop_threads", "1");
      startService(
          "worker-" + i,
          "trainer-worker",
          freePort(),
          worker,
          Map.of("OMP_NUM_THREADS", String.valueOf(options.workerThreads())),
          logs,
          say);
    }
    for (ServiceProcess p : processes) {
      if (p.url() != null) {
        awaitReady(p);
      }
    }
  }

  private void startService(
      String name,
      String module,
      int port,
      Map<String, String> props,
      Map<String, String> env,
      Path logs,
      java.util.function.Consumer<String> say) {
    // Small heaps and the serial collector: six JVMs share two cores; tensors live in native
    // memory.
    List<String> jvm =
        new ArrayList<>(
            List.of(
                "-Xmx" + (module.equals("trainer-worker") ? "1g" : "384m"), "-XX:+UseSerialGC"));
    jvm.add("-Dquarkus.http.port=" + port);
    jvm.add("-Dquarkus.http.host=127.0.0.1");
    props.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
    String url = "http://127.0.0.1:" + port;
    say.accept("starting " + name + " on " + url);
    ServiceProcess p =
        ServiceProcess.start(
            name,
            ServiceProcess.javaCommand(jvm, List.of("-jar", runJar(module).toString())),
            env,
            logs.resolve(name + ".log"),
            url);
    processes.add(p);
    urls.put(name, url);
  }

  private Path runJar(String module) {
    return options.home().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
  }

  private static void awaitLogLine(ServiceProcess p, String marker) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new StackException(
            p.name() + " exited during start; see " + p.log() + ":\n" + p.tail(15));
      }
      try {
        if (Files.exists(p.log()) && Files.readString(p.log()).contains(marker)) {
          return;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      pause(200);
    }
    throw new StackException(
        p.name() + " did not start within " + READY_TIMEOUT.toSeconds() + " s; see " + p.log());
  }

  private static void awaitReady(ServiceProcess p) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(p.url() + "/q/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new StackException(
            p.name() + " exited during start; see " + p.log() + ":\n" + p.tail(15));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException("interrupted while waiting for " + p.name());
      }
      pause(300);
    }
    throw new StackException(
        p.name()
            + " was not ready within "
            + READY_TIMEOUT.toSeconds()
            + " s; see "
            + p.log()
            + ":\n"
            + p.tail(15));
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted");
    }
  }

  public String url(String service) {
    return urls.get(service);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public List<ServiceProcess> processes() {
    return List.copyOf(processes);
  }

  /**
   * Leaves the processes running after this JVM exits ({@code sharpsweep up}); {@link #close()}
   * then does nothing, and {@link StackState#stop()} stops them later.
   */
  public void detach() {
    processes.clear();
  }

  /** Stops services before the broker (reverse start order), each waited for. */
  @Override
  public void close() {
    List<ServiceProcess> reversed = new ArrayList<>(processes);
    java.util.Collections.reverse(reversed);
    for (ServiceProcess p : reversed) {
      p.stop(20);
    }
    processes.clear();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new StackException("no free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  /** How the local stack is laid out and sized. */
  public record StackOptions(
      Path home,
      Path workDir,
      int workers,
      int workerThreads,
      String database,
      Path datasetDir,
      Map<String, String> extraProperties) {
    public StackOptions {
      extraProperties = extraProperties == null ? Map.of() : new HashMap<>(extraProperties);
    }
  }
}
