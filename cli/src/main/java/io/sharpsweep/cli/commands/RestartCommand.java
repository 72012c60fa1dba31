package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.stack.StackState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sharpsweep restart NAME…}: starts processes of the local stack again after they crashed or
 * were killed, exactly as {@code up} started them (command line, port, environment, log file).
 */
@Command(
    name = "restart",
    mixinStandardHelpOptions = true,
    description =
        "Start stopped processes of the local stack again (e.g. after kill -9 PID from `sharpsweep status`): the same command line, port, environment and log file; NAME as `status` shows it (kafka, results-store, sampler, scheduler, worker-N).")
public class RestartCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Processes to start again.")
  List<String> names;

  @Override
  public Integer call() {
    Optional<StackState> read = StackState.read(Endpoints.defaultStackDir());
    if (read.isEmpty()) {
      throw new UserException("no local stack is running (start one with ./sharpsweep up)");
    }
    StackState state = read.get();
    for (String name : names) {
      state = state.restart(name);
      System.out.println("· " + name + " restarted");
    }
    StatusCommand.print(state, System.out);
    return 0;
  }
}
