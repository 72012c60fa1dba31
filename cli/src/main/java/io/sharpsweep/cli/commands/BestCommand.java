package io.sharpsweep.cli.commands;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.api.BestAnswer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sharpsweep best ID [--max-cost C]}. */
@Command(
    name = "best",
    mixinStandardHelpOptions = true,
    description =
        "Print the best configuration of a study (optionally among trials that cost at most C SGD-epoch equivalents).")
public class BestCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(paramLabel = "ID")
  String id;

  @Option(
      names = "--max-cost",
      paramLabel = "C",
      description = "Only trials whose cost (sgd_epoch_equivalents) is at most C.")
  Double maxCost;

  @Option(
      names = "--objective",
      paramLabel = "METRIC",
      description = "Rank by this metric instead of the study's first objective.")
  String objective;

  @Option(names = "--json", description = "Print the results-store's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    BestAnswer answer = endpoints.storeApi().best(id, objective, maxCost);
    if (json) {
      System.out.println(Json.pretty(answer));
      return 0;
    }
    if (answer.best() == null) {
      System.out.println("no best trial yet: " + answer.reason());
      return 0;
    }
    DemoCommand.printBest(System.out, id, answer.best());
    return 0;
  }
}
