package io.sharpsweep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
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
    StringBuilder url = new StringBuilder(endpoints.store() + "/v1/studies/" + id + "/best");
    String sep = "?";
    if (maxCost != null) {
      url.append(sep).append("maxCost=").append(String.format(Locale.ROOT, "%s", maxCost));
      sep = "&";
    }
    if (objective != null) {
      url.append(sep).append("objective=").append(objective);
    }
    JsonNode answer = endpoints.client().get(url.toString());
    if (json) {
      System.out.println(answer.toPrettyString());
      return 0;
    }
    JsonNode best = answer.path("best");
    if (best.isNull() || best.isMissingNode()) {
      System.out.println("no best trial yet: " + answer.path("reason").asText());
      return 0;
    }
    DemoCommand.printBest(System.out, id, best);
    return 0;
  }
}
