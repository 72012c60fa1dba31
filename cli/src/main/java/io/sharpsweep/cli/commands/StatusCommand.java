package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.stack.StackState;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code sharpsweep status}: the local stack's processes, ports, logs and dashboard URL. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the local stack: processes, URLs, log files and the dashboard.")
public class StatusCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    Optional<StackState> state = StackState.read(Endpoints.defaultStackDir());
    if (state.isEmpty()) {
      System.out.println("no local stack is running (start one with ./sharpsweep up)");
      return 3;
    }
    print(state.get(), System.out);
    return state.get().processes().stream().allMatch(StackState.Entry::alive) ? 0 : 1;
  }

  static void print(StackState s, PrintStream out) {
    out.println("kafka: " + s.bootstrapServers());
    for (StackState.Entry e : s.processes()) {
      out.printf(
          Locale.ROOT,
          "%-14s %-8s pid %-8d %-26s log %s%n",
          e.name() + ":",
          e.alive() ? "running" : "STOPPED",
          e.pid(),
          e.url() == null ? "" : e.url(),
          e.log());
    }
    s.url("results-store").ifPresent(u -> out.println("dashboard: " + u + "/"));
    java.util.List<String> stopped =
        s.processes().stream().filter(e -> !e.alive()).map(StackState.Entry::name).toList();
    if (!stopped.isEmpty() && stopped.size() < s.processes().size()) {
      out.println(
          "start the stopped ones again with: ./sharpsweep restart " + String.join(" ", stopped));
    }
  }
}
