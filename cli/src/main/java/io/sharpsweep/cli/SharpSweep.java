package io.sharpsweep.cli;

import io.sharpsweep.cli.commands.BenchIngestCommand;
import io.sharpsweep.cli.commands.BenchLargeStudyCommand;
import io.sharpsweep.cli.commands.BenchScaleCommand;
import io.sharpsweep.cli.commands.BenchSearchCommand;
import io.sharpsweep.cli.commands.BenchTrainCommand;
import io.sharpsweep.cli.commands.BestCommand;
import io.sharpsweep.cli.commands.ChartCommand;
import io.sharpsweep.cli.commands.DemoCommand;
import io.sharpsweep.cli.commands.DownCommand;
import io.sharpsweep.cli.commands.ExportCommand;
import io.sharpsweep.cli.commands.ImportanceCommand;
import io.sharpsweep.cli.commands.KnobsCommand;
import io.sharpsweep.cli.commands.ParetoCommand;
import io.sharpsweep.cli.commands.ReplayCommand;
import io.sharpsweep.cli.commands.RestartCommand;
import io.sharpsweep.cli.commands.StatusCommand;
import io.sharpsweep.cli.commands.StudyCommand;
import io.sharpsweep.cli.commands.TrainCommand;
import io.sharpsweep.cli.commands.UpCommand;
import io.sharpsweep.cli.commands.VariantsCommand;
import io.sharpsweep.cli.commands.WatchCommand;
import io.sharpsweep.cli.stack.StackException;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.api.ApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sharpsweep}: the command-line entry point. Errors are one readable line and a non-zero
 * exit.
 */
@Command(
    name = "sharpsweep",
    mixinStandardHelpOptions = true,
    version = "SharpSweep 0.1.0",
    description =
        "Hyperparameter search for sharpness-aware training (SAM, ESAM, AE-SAM, LookSAM, M-SAM …).",
    subcommands = {
      DemoCommand.class,
      UpCommand.class,
      DownCommand.class,
      RestartCommand.class,
      StatusCommand.class,
      StudyCommand.class,
      WatchCommand.class,
      BestCommand.class,
      ExportCommand.class,
      ParetoCommand.class,
      ImportanceCommand.class,
      VariantsCommand.class,
      ChartCommand.class,
      BenchSearchCommand.class,
      TrainCommand.class,
      ReplayCommand.class,
      BenchTrainCommand.class,
      BenchScaleCommand.class,
      BenchIngestCommand.class,
      BenchLargeStudyCommand.class,
      KnobsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SharpSweep {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SharpSweep());
    for (String name : java.util.List.of("train", "replay", "bench-train")) {
      CommandLine sub = cli.getSubcommands().get(name);
      if (sub != null) {
        // Rendered as it is: picocli would wrap a footer's lines to the usage width.
        sub.getHelpSectionMap()
            .put(
                CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
                help -> KnobsCommand.helpFooter());
      }
    }
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("sharpsweep: " + oneLine(e));
          return 1;
        });
    return cli.execute(args);
  }

  static String oneLine(Exception e) {
    if (e instanceof StackException
        || e instanceof ApiException
        || e instanceof ValidationException
        || e instanceof MalformedRecordException
        || e instanceof UserException) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Something the user can fix; its message says what. */
  public static class UserException extends RuntimeException {
    public UserException(String message) {
      super(message);
    }
  }
}
