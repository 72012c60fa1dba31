package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.stack.StackState;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code sharpsweep down}: stops what {@code up} started (services first, the broker last). */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description =
        "Stop the local stack started by `sharpsweep up`; its H2 data stays for the next `up`.")
public class DownCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    Optional<StackState> state = StackState.read(Endpoints.defaultStackDir());
    if (state.isEmpty()) {
      System.out.println("no local stack is running");
      return 0;
    }
    state.get().stop();
    System.out.println("local stack stopped (data kept in " + state.get().workDir() + ")");
    return 0;
  }
}
