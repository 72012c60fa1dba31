package io.sharpsweep.cli.stack;

import io.sharpsweep.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code sharpsweep up} started, written to {@code <work-dir>/stack.json} so that {@code
 * status}, {@code restart}, {@code down} and the study commands find the running stack from another
 * process. Each entry records how its process was started, so that it can be started again exactly
 * so after a crash or a kill.
 */
public record StackState(
    String workDir, String bootstrapServers, List<Entry> processes, long startedAt) {

  /**
   * One process: its name, pid, URL (null for the broker), log file, command line, added
   * environment, and when the OS started it (so that a PID reused by another program is never
   * signalled).
   */
  public record Entry(
      String name,
      long pid,
      String url,
      String log,
      List<String> command,
      Map<String, String> environment,
      Long processStartedAt) {
    public boolean alive() {
      return handle().isPresent();
    }

    /** The live process this entry started, if it still runs (and is still that process). */
    Optional<ProcessHandle> handle() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(
              h ->
                  processStartedAt == null
                      || h.info()
                          .startInstant()
                          .map(i -> Math.abs(i.toEpochMilli() - processStartedAt) < 2_000)
                          .orElse(true));
    }

    static Entry of(ServiceProcess p) {
      return new Entry(
          p.name(),
          p.pid(),
          p.url(),
          p.log().toString(),
          p.command(),
          p.environment(),
          p.startedAt());
    }
  }

  public static Path file(Path workDir) {
    return workDir.resolve("stack.json");
  }

  public static Optional<StackState> read(Path workDir) {
    Path f = file(workDir);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.decode(Files.readAllBytes(f), StackState.class));
    } catch (IOException e) {
      throw new StackException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  public void write() {
    Path f = file(Path.of(workDir));
    try {
      Files.createDirectories(f.getParent());
      Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
      Files.write(tmp, Json.encode(this));
      Files.move(
          tmp,
          f,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StackException("cannot write " + f + ": " + e.getMessage(), e);
    }
  }

  public Optional<String> url(String name) {
    return processes.stream().filter(p -> p.name().equals(name)).map(Entry::url).findFirst();
  }

  public static StackState of(LocalStack stack, Path workDir, long startedAt) {
    return new StackState(
        workDir.toString(),
        stack.bootstrapServers(),
        stack.processes().stream().map(Entry::of).toList(),
        startedAt);
  }

  /**
   * Starts the named process again if it is not running — the same command line, port, environment
   * and log file (appended to) — waits until it serves, and records its new PID. Returns the new
   * state.
   */
  public StackState restart(String name) {
    Entry e =
        processes.stream()
            .filter(p -> p.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new StackException(
                        "no process named "
                            + name
                            + " in the local stack (its processes: "
                            + String.join(", ", processes.stream().map(Entry::name).toList())
                            + ")"));
    if (e.alive()) {
      throw new StackException(name + " is running (pid " + e.pid() + "); stop it first");
    }
    if (e.command() == null || e.command().isEmpty()) {
      throw new StackException(
          "the local stack was started by an older sharpsweep that did not record "
              + name
              + "'s command line: restart the stack with ./sharpsweep down and ./sharpsweep up");
    }
    ServiceProcess p =
        ServiceProcess.restartFrom(
            e.name(),
            e.command(),
            e.environment() == null ? Map.of() : e.environment(),
            Path.of(e.log()),
            e.url());
    List<Entry> updated = new ArrayList<>();
    for (Entry old : processes) {
      updated.add(old.name().equals(name) ? Entry.of(p) : old);
    }
    StackState next = new StackState(workDir, bootstrapServers, updated, startedAt);
    next.write();
    LocalStack.awaitStarted(p, bootstrapServers);
    return next;
  }

  /**
   * Stops every process of the state, services first and the broker last, and removes the state
   * file. Only processes this state started are signalled, by PID.
   */
  public void stop() {
    List<Entry> reversed = new ArrayList<>(processes);
    java.util.Collections.reverse(reversed);
    for (Entry e : reversed) {
      e.handle()
          .ifPresent(
              h -> {
                h.destroy();
                try {
                  h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception timeout) {
                  h.destroyForcibly();
                }
              });
    }
    try {
      Files.deleteIfExists(file(Path.of(workDir)));
    } catch (IOException e) {
      throw new StackException(
          "cannot remove " + file(Path.of(workDir)) + ": " + e.getMessage(), e);
    }
  }
}
