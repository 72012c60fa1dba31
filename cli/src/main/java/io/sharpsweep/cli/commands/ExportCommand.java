package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sharpsweep export ID --format csv|json [-o FILE]}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Export every trial of a study (params, state, rung, last metrics, cost) as CSV or JSON.")
public class ExportCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(paramLabel = "ID")
  String id;

  @Option(
      names = "--format",
      defaultValue = "csv",
      description = "csv or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("csv") && !format.equals("json")) {
      throw new UserException("--format must be csv or json, got '" + format + "'");
    }
    String body = endpoints.storeApi().exportText(id, format);
    if (output == null) {
      System.out.print(body);
      if (!body.endsWith("\n")) {
        System.out.println();
      }
    } else {
      Files.writeString(output, body);
      System.err.println("wrote " + output);
    }
    return 0;
  }
}
