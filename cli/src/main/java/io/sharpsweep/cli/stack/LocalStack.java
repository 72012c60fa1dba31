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
 * under {@code workDir/logs}. Started in dependency order (broker, store, sampler, scheduler,
 * workers), each waited for (the broker's {@code READY} line, {@code /q/health/ready} for the
 * services); stopped in reverse order so no consumer is left in a group of a dead broker.
 *
 * <p>Every process keeps its identity for the stack's life: {@link #restart(String)} starts a
 * process that was killed or stopped again with the same command line, port, environment and log
 * file. Durable data lives in {@code workDir} and survives the stack: the broker's log in {@code
 * kafka/} (restarted on the ports recorded in {@code broker.ports} when they are free), the H2
 * database in {@code store/}, the checkpoints in {@code checkpoints/}. The processes run from a
 * snapshot of the build in {@code apps/}, taken at start.
 */
public final class LocalStack implements AutoCloseable {
  /** The topics the local stack creates before the services start, with their partitions. */
  static final Map<String, Integer> TOPICS =
      Map.of(Topics.REPORTS, 4, Topics.DECISIONS, 1, Topics.DEAD_LETTER, 1);

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  // The names of the processes, in start order; the workers are worker-1 … worker-N.
  public static final String BROKER = "kafka";
  public static final String STORE = "results-store";
  public static final String SAMPLER = "sampler";
  public static final String SCHEDULER = "scheduler";

  private final StackOptions options;
  private boolean storeOnly;
  private final List<ServiceProcess> processes = new ArrayList<>();
  private final Map<String, String> urls = new LinkedHashMap<>();
  private String bootstrapServers;
  private String brokerClasspath;

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

  /**
   * Starts only the broker and the results-store (benchmarks of the store alone), or stops what was
   * started and throws a {@link StackException} naming the failure.
   */
  public static LocalStack startStoreOnly(
      StackOptions options, java.util.function.Consumer<String> say) {
    LocalStack stack = new LocalStack(options);
    stack.storeOnly = true;
    try {
      stack.startAll(say);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private List<String> modules() {
    return storeOnly
        ? List.of("results-store")
        : List.of("results-store", "sampler", "scheduler", "trainer-worker");
  }

  /** The worker's process name and its {@code sharpsweep.worker.id}. */
  public static String workerName(int i) {
    return "worker-" + i;
  }

  public static String workerId(int i) {
    return "local-worker-" + i;
  }

  private void startAll(java.util.function.Consumer<String> say) {
    checkBuilt();
    snapshotApps();
    Path logs = options.workDir().resolve("logs");
    startBroker(logs, say);

    Map<String, String> common = new LinkedHashMap<>();
    common.put("kafka.bootstrap.servers", bootstrapServers);

    ServiceProcess storeProcess =
        startService(STORE, "results-store", storeProperties(common), Map.of(), logs, say);
    if (storeOnly) {
      awaitReady(storeProcess);
      return;
    }
    ServiceProcess sampler = startService(SAMPLER, "sampler", common, Map.of(), logs, say);
    // The scheduler and the workers read and lease from the store: it is up before they start.
    awaitReady(storeProcess);
    String storeUrl = urls.get(STORE);

    Map<String, String> sched = new LinkedHashMap<>(common);
    sched.put("sharpsweep.scheduler.sampler-url", urls.get(SAMPLER));
    sched.put("sharpsweep.scheduler.store-url", storeUrl);
    startService(SCHEDULER, "scheduler", sched, Map.of(), logs, say);

    for (int i = 1; i <= options.workers(); i++) {
      startService(
          workerName(i),
          "trainer-worker",
          workerProperties(common, storeUrl, i),
          Map.of("OMP_NUM_THREADS", String.valueOf(options.workerThreads())),
          logs,
          say);
    }
    awaitReady(sampler);
    for (ServiceProcess p : processes) {
      if (p.url() != null) {
        awaitReady(p);
      }
    }
  }

  /** Every module the stack runs has its runnable jar. */
  private void checkBuilt() {
    for (String module : modules()) {
      Path jar = runJar(module);
      if (!Files.isRegularFile(jar)) {
        throw new StackException(
            module
                + " is not built ("
                + jar
                + " is missing): run ./sharpsweep again, which builds it, or mvn -DskipTests package");
      }
    }
  }

  /** Starts the Kafka broker, waits until it is ready and creates the topics. */
  private void startBroker(Path logs, java.util.function.Consumer<String> say) {
    int[] ports = brokerPorts(options.workDir(), say);
    say.accept("starting Kafka (KRaft) on 127.0.0.1:" + ports[0]);
    ServiceProcess broker =
        ServiceProcess.start(
            BROKER,
            ServiceProcess.javaCommand(
                List.of("-Xmx512m", "-XX:+UseSerialGC", "-cp", brokerClasspath),
                List.of(
                    "io.sharpsweep.kafka.KafkaBrokerMain",
                    options.workDir().resolve("kafka").toString(),
                    String.valueOf(ports[0]),
                    String.valueOf(ports[1]))),
            Map.of(),
            logs.resolve(BROKER + ".log"),
            null);
    processes.add(broker);
    bootstrapServers = "127.0.0.1:" + ports[0];
    awaitLogLine(broker, "READY ");
    KafkaBroker.createTopics(bootstrapServers, TOPICS);
  }

  private Map<String, String> storeProperties(Map<String, String> common) {
    Map<String, String> store = new LinkedHashMap<>(common);
    store.put("sharpsweep.store.db", options.database());
    store.put("sharpsweep.store.data-dir", options.workDir().resolve("store").toString());
    // One store with a stable name: as a static member of its consumer group, a store restarted
    // after a crash takes its report partitions back at once instead of waiting for the session of
    // the crashed one to time out.
    store.put("mp.messaging.incoming.reports-in.group.instance.id", "local-results-store");
    return store;
  }

  private Map<String, String> workerProperties(Map<String, String> common, String storeUrl, int i) {
    Map<String, String> worker = new LinkedHashMap<>(common);
    worker.put("sharpsweep.worker.id", workerId(i));
    worker.put("sharpsweep.worker.control-url", storeUrl);
    worker.put("sharpsweep.worker.threads", String.valueOf(options.workerThreads()));
    worker.put(
        "sharpsweep.worker.checkpoint-dir", options.workDir().resolve("checkpoints").toString());
    worker.put("sharpsweep.worker.fashion-mnist-dir", options.datasetDir().toString());
    worker.put("ai.djl.offline", "true");
    worker.put("ai.djl.pytorch.num_interop_threads", "1");
    return worker;
  }

  private ServiceProcess startService(
      String name,
      String module,
      Map<String, String> props,
      Map<String, String> env,
      Path logs,
      java.util.function.Consumer<String> say) {
    int port = freePort();
    // Small heaps and the serial collector: six JVMs share two cores; tensors live in native
    // memory.
    List<String> jvm =
        new ArrayList<>(
            List.of(
                "-Xmx" + (module.equals("trainer-worker") ? "1g" : "384m"), "-XX:+UseSerialGC"));
    jvm.add("-Dquarkus.http.port=" + port);
    jvm.add("-Dquarkus.http.host=127.0.0.1");
    Map<String, String> all = new LinkedHashMap<>(props);
    all.putAll(options.extraProperties());
    all.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
    String url = "http://127.0.0.1:" + port;
    say.accept("starting " + name + " on " + url);
    ServiceProcess p =
        ServiceProcess.start(
            name,
            ServiceProcess.javaCommand(jvm, List.of("-jar", appJar(module).toString())),
            env,
            logs.resolve(name + ".log"),
            url);
    processes.add(p);
    urls.put(name, url);
    return p;
  }

  /**
   * The broker's listener and controller ports: those of the previous run in this work directory
   * when both are still free (the broker's data names its controller's address), else new ones,
   * recorded for the next run.
   */
  static int[] brokerPorts(Path workDir, java.util.function.Consumer<String> say) {
    Path file = workDir.resolve("broker.ports");
    try {
      if (Files.isRegularFile(file)) {
        String[] parts = Files.readString(file).trim().split("\\s+");
        if (parts.length == 2) {
          int broker = Integer.parseInt(parts[0]);
          int controller = Integer.parseInt(parts[1]);
          if (isFree(broker) && isFree(controller)) {
            return new int[] {broker, controller};
          }
          say.accept(
              "Kafka's previous ports "
                  + broker
                  + "/"
                  + controller
                  + " are taken; the broker moves to new ones");
        }
      }
      int broker = freePort();
      int controller = freePort();
      while (controller == broker) {
        controller = freePort();
      }
      Files.createDirectories(workDir);
      Files.writeString(file, broker + " " + controller + System.lineSeparator());
      return new int[] {broker, controller};
    } catch (IOException | NumberFormatException e) {
      throw new StackException("cannot read or write " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean isFree(int port) {
    if (port <= 0 || port > 65535) {
      return false;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Path runJar(String module) {
    return serviceModule(options.home(), module).resolve("target/quarkus-app/quarkus-run.jar");
  }

  /**
   * The Maven module of a service's Quarkus app: {@code <service>/service} where the service has a
   * core module beside it, the top-level folder for the scheduler, which has none
   * (docs/architecture.md, "Modules: cores and services").
   */
  public static Path serviceModule(Path home, String service) {
    return service.equals(SCHEDULER)
        ? home.resolve(service)
        : home.resolve(service).resolve("service");
  }

  /** The services' packaged apps as this stack runs them: a snapshot in {@code workDir/apps}. */
  private Path appJar(String module) {
    return options.workDir().resolve("apps").resolve(module).resolve("quarkus-run.jar");
  }

  /**
   * Takes a snapshot of the packaged apps (hard links where the file system allows, else copies)
   * and of the broker's class directories, so that a process restarted later runs exactly the build
   * it was first started with, even while {@code mvn package} rewrites {@code target/}.
   */
  private void snapshotApps() {
    Path apps = options.workDir().resolve("apps");
    try {
      deleteTree(apps);
      for (String module : modules()) {
        linkTree(runJar(module).getParent(), apps.resolve(module));
      }
      List<String> cp = new ArrayList<>();
      int i = 0;
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        Path p = Path.of(entry).toAbsolutePath().normalize();
        Path copy = apps.resolve("classpath").resolve((i++) + "-" + p.getFileName());
        if (Files.isDirectory(p)) {
          copyTree(p, copy);
          cp.add(copy.toString());
        } else if (Files.isRegularFile(p) && p.startsWith(options.home())) {
          // a jar of this build (cli/target/lib); those of the Maven repository never change
          Files.createDirectories(copy.getParent());
          linkTree(p, copy);
          cp.add(copy.toString());
        } else {
          cp.add(entry);
        }
      }
      brokerClasspath = String.join(java.io.File.pathSeparator, cp);
    } catch (IOException | UncheckedIOException e) {
      throw new StackException(
          "cannot copy the packaged services to " + apps + ": " + e.getMessage(), e);
    }
  }

  private static void linkTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path src : (Iterable<Path>) walk::iterator) {
        Path dst = to.resolve(from.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
        } else {
          try {
            Files.createLink(dst, src);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(src, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path src : (Iterable<Path>) walk::iterator) {
        Path dst = to.resolve(from.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(src, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /**
   * Starts {@code name} again after it was killed or stopped (same command line, port, environment
   * and log file, appended to) and waits until it is ready again.
   */
  public ServiceProcess restart(String name) {
    ServiceProcess p = process(name);
    p.restart();
    awaitStarted(p);
    return p;
  }

  /** Waits until a (re)started process serves: the broker's READY line, a service's health. */
  public void awaitStarted(ServiceProcess p) {
    awaitStarted(p, bootstrapServers);
  }

  static void awaitStarted(ServiceProcess p, String bootstrapServers) {
    if (p.url() == null) {
      awaitLogLine(p, "READY ");
      KafkaBroker.createTopics(bootstrapServers, TOPICS);
    } else {
      awaitReady(p);
    }
  }

  /** The process of that name ({@link #BROKER}, {@link #STORE}, …, {@code worker-N}). */
  public ServiceProcess process(String name) {
    return processes.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new StackException("no process named " + name + " in the stack"));
  }

  private static void awaitLogLine(ServiceProcess p, String marker) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new StackException(
            p.name() + " exited during start; see " + p.log() + ":\n" + p.tail(15));
      }
      try {
        if (p.currentLog().contains(marker)) {
          return;
        }
      } catch (UncheckedIOException e) {
        // the log is being created
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
      p.stop(30);
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
