package io.sharpsweep.cli.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the local stack: started with its output in a log file, stopped with SIGTERM (then
 * SIGKILL).
 */
public final class ServiceProcess {
  private final String name;
  private final Process process;
  private final Path log;
  private final String url;

  private ServiceProcess(String name, Process process, Path log, String url) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.url = url;
  }

  static ServiceProcess start(
      String name, List<String> command, Map<String, String> env, Path log, String url) {
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    try {
      Files.createDirectories(log.getParent());
      return new ServiceProcess(name, pb.start(), log, url);
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

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  /** The service's base URL, or null for processes without HTTP (the broker). */
  public String url() {
    return url;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
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

  public void stop(long timeoutSeconds) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code java …}, in a session of its own where {@code setsid} exists: a Ctrl-C or a closed
   * terminal then reaches only the CLI, which stops the stack in order (services first, the broker
   * last), and a stack started by {@code sharpsweep up} outlives the terminal.
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
