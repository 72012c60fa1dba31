package io.sharpsweep.cli.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the local stack with a stable identity: its name, command line, environment, port (in
 * the command line) and log file stay the same for its whole life, so that it can be killed ({@link
 * #kill()}, SIGKILL), stopped ({@link #terminate()}, SIGTERM) and started again ({@link
 * #restart()}) exactly as it was first started, its output appended to the same log. Only the
 * process this object started is ever signalled, by its PID.
 */
public final class ServiceProcess {
  /** Variables of the caller's environment that would configure a service's token: not passed. */
  static final java.util.Set<String> INHERITED_AUTH =
      java.util.Set.of(
          "SHARPSWEEP_API_TOKEN", "SHARPSWEEP_AUTH_TOKEN_FILE", "SHARPSWEEP_TOKEN_FILE");

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path log;
  private final String url;
  private volatile Process process;
  private volatile long logOffset;

  private ServiceProcess(
      String name, List<String> command, Map<String, String> env, Path log, String url) {
    this.name = name;
    this.command = List.copyOf(command);
    this.env = Map.copyOf(new LinkedHashMap<>(env));
    this.log = log;
    this.url = url;
  }

  /** Starts a new process with a fresh log ({@code log} is truncated). */
  static ServiceProcess start(
      String name, List<String> command, Map<String, String> env, Path log, String url) {
    ServiceProcess p = new ServiceProcess(name, command, env, log, url);
    p.launch(false);
    return p;
  }

  /**
   * Starts a process again from its recorded command line and environment, appending to its log;
   * the previous one must have exited ({@link #kill()}, {@link #terminate()} or a crash).
   */
  public synchronized void restart() {
    if (process != null && process.isAlive()) {
      throw new StackException(name + " is still running (pid " + process.pid() + ")");
    }
    launch(true);
  }

  /**
   * Starts a recorded process again (command line, environment, log appended to) that is known only
   * from {@link StackState}: {@code sharpsweep restart NAME}.
   */
  static ServiceProcess restartFrom(
      String name, List<String> command, Map<String, String> env, Path log, String url) {
    ServiceProcess p = new ServiceProcess(name, command, env, log, url);
    p.launch(true);
    return p;
  }

  private static Process launch(
      String name, List<String> command, Map<String, String> env, Path log, boolean append) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(
        append
            ? ProcessBuilder.Redirect.appendTo(log.toFile())
            : ProcessBuilder.Redirect.to(log.toFile()));
    // The token reaches a service only as the path its command line names
    // (sharpsweep.auth.token-file): never the token itself, never from the caller's environment.
    pb.environment().keySet().removeAll(INHERITED_AUTH);
    pb.environment().putAll(env);
    try {
      Files.createDirectories(log.getParent());
      if (append) {
        Files.writeString(
            log,
            System.lineSeparator()
                + "==== sharpsweep: "
                + name
                + " restarted at "
                + Instant.now()
                + " ===="
                + System.lineSeparator(),
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      }
      return pb.start();
    } catch (IOException e) {
      throw new StackException(
          "cannot start "
              + name
              + " ("
              + String.join(" ", command.subList(0, Math.min(3, command.size())))
              + "…): "
              + e.getMessage(),
          e);
    }
  }

  private void launch(boolean append) {
    long offset = 0;
    try {
      offset = append && Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      offset = 0;
    }
    process = launch(name, command, env, log, append);
    logOffset = offset;
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  /** The command line it was started with (the same on every restart). */
  public List<String> command() {
    return command;
  }

  /** The variables added to the environment (the same on every restart). */
  public Map<String, String> environment() {
    return env;
  }

  /** The service's base URL, or null for processes without HTTP (the broker). */
  public String url() {
    return url;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The PID of the current incarnation. */
  public long pid() {
    return process.pid();
  }

  /** When the current incarnation started (the OS's view, used to recognize it by PID later). */
  public Long startedAt() {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(null);
  }

  /** The exit code of the current incarnation, or null while it runs. */
  public Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
  }

  /** What the current incarnation wrote to its log so far (earlier incarnations excluded). */
  public String currentLog() {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long from = Math.min(logOffset, f.length());
      byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, f.length() - from)];
      f.seek(from);
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of the log, for error messages. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join(
          System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGKILL ({@code kill -9 PID}) and waits until the process is gone. */
  public void kill() {
    Process p = process;
    p.destroyForcibly();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        throw new StackException(name + " (pid " + p.pid() + ") survived SIGKILL for 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while killing " + name);
    }
  }

  /** SIGTERM ({@code kill PID}) without waiting: the process shuts down by itself. */
  public void terminate() {
    process.destroy();
  }

  /** Waits up to {@code timeout} for the current incarnation to exit; true if it did. */
  public boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** SIGTERM, then SIGKILL after {@code timeoutSeconds}. */
  public void stop(long timeoutSeconds) {
    Process p = process;
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code java …}, in a session of its own where {@code setsid} exists: a Ctrl-C or a closed
   * terminal then reaches only the CLI, which stops the stack in order (services first, the broker
   * last), and a stack started by {@code sharpsweep up} outlives the terminal. {@code setsid}
   * replaces itself with {@code java} (the child of a JVM is not a process-group leader), so the
   * PID is the JVM's.
   */
  static List<String> javaCommand(List<String> jvmArgs, List<String> tail) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(tail);
    return cmd;
  }
}
