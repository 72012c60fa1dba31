package io.sharpsweep.cli.stack;

import io.sharpsweep.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code sharpsweep up} started, written to {@code <work-dir>/stack.json} so that {@code
 * status}, {@code down} and the study commands find the running stack from another process.
 */
public record StackState(
    String workDir, String bootstrapServers, List<Entry> processes, long startedAt) {

  /** One process: its name, pid, URL (null for the broker) and log file. */
  public record Entry(String name, long pid, String url, String log) {
    public boolean alive() {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
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
      Files.write(f, Json.encode(this));
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
        stack.processes().stream()
            .map(p -> new Entry(p.name(), p.pid(), p.url(), p.log().toString()))
            .toList(),
        startedAt);
  }

  /**
   * Stops every process of the state, services first and the broker last, and removes the state
   * file.
   */
  public void stop() {
    List<Entry> reversed = new java.util.ArrayList<>(processes);
    java.util.Collections.reverse(reversed);
    for (Entry e : reversed) {
      ProcessHandle.of(e.pid())
          .ifPresent(
              h -> {
                h.destroy();
                try {
                  h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
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
