package io.sharpsweep.cli.commands;

import io.sharpsweep.protocol.api.BestAnswer;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sharpsweep watch ID}: live progress until the study ends. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description =
        "Follow a study until it ends: trials done/running/failed, best so far, elapsed and remaining time; plain lines when not on a terminal.")
public class WatchCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(paramLabel = "ID")
  String id;

  @Option(
      names = "--timeout",
      defaultValue = "PT24H",
      description = "Give up after this long (ISO-8601 duration, default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    StudyRun run = new StudyRun(endpoints.schedulerApi(), endpoints.storeApi());
    BestAnswer best =
        run.follow(id, new ProgressView(System.out, System.console() != null), timeout);
    DemoCommand.printBest(System.out, id, best == null ? null : best.best());
    return 0;
  }
}
