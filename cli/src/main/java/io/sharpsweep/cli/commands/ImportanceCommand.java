package io.sharpsweep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sharpsweep importance ID [--objective METRIC] [--json]}. */
@Command(
    name = "importance",
    mixinStandardHelpOptions = true,
    description =
        "Print how much of the objective's variance each parameter explains (fANOVA on a random forest of the completed trials).")
public class ImportanceCommand implements Callable<Integer> {
  private static final int BAR = 20;

  @Mixin Endpoints endpoints;

  @Parameters(paramLabel = "ID")
  String id;

  @Option(
      names = "--objective",
      paramLabel = "METRIC",
      description = "Explain this metric instead of the study's first objective.")
  String objective;

  @Option(names = "--json", description = "Print the results-store's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    String url = endpoints.store() + "/v1/studies/" + id + "/importance";
    if (objective != null) {
      url += "?objective=" + URLEncoder.encode(objective, StandardCharsets.UTF_8);
    }
    JsonNode answer = endpoints.client().get(url);
    if (json) {
      System.out.println(answer.toPrettyString());
    } else {
      print(System.out, id, answer);
    }
    return 0;
  }

  /** The importances as a table with a bar each, then why any is missing. */
  static void print(PrintStream out, String id, JsonNode answer) {
    out.printf(
        Locale.ROOT,
        "Parameter importance in study %s for %s (%s, %d trees, seed %d): %d completed trials%n",
        id,
        answer.path("objective").path("name").asText(),
        answer.path("method").asText(),
        answer.path("trees").asInt(),
        answer.path("seed").asLong(),
        answer.path("trials").asInt());
    JsonNode rows = answer.path("importances");
    if (rows.isEmpty()) {
      out.println("  no importances: " + answer.path("reason").asText());
      return;
    }
    out.printf(
        Locale.ROOT,
        "  %-14s %10s %8s %7s  %-" + BAR + "s  %s%n",
        "param",
        "importance",
        "± std",
        "trials",
        "",
        "over");
    for (JsonNode r : rows) {
      JsonNode imp = r.path("importance");
      String over =
          r.path("condition").isObject()
              ? "the trials that set it " + condition(r.path("condition"))
              : "all trials";
      if (imp.isNumber()) {
        int width = (int) Math.round(imp.asDouble() * BAR);
        out.printf(
            Locale.ROOT,
            "  %-14s %10.4f %8.4f %7d  %-" + BAR + "s  %s%n",
            r.path("param").asText(),
            imp.asDouble(),
            r.path("std").asDouble(),
            r.path("trials").asInt(),
            "#".repeat(Math.max(0, Math.min(BAR, width))),
            over);
      } else {
        out.printf(
            Locale.ROOT,
            "  %-14s %10s %8s %7d  %-" + BAR + "s  %s: %s%n",
            r.path("param").asText(),
            "-",
            "",
            r.path("trials").asInt(),
            "",
            over,
            r.path("note").asText());
      }
    }
    out.println(
        "  importances over all trials sum to 1; a conditional parameter's is its share among the"
            + " parameters those trials set");
  }

  private static String condition(JsonNode when) {
    StringBuilder s = new StringBuilder();
    when.fields()
        .forEachRemaining(
            e -> {
              if (!s.isEmpty()) {
                s.append(", ");
              }
              s.append("(").append(e.getKey()).append(" in ");
              StringBuilder values = new StringBuilder();
              e.getValue()
                  .forEach(v -> values.append(values.isEmpty() ? "" : ", ").append(v.asText()));
              s.append("[").append(values).append("])");
            });
    return s.toString();
  }
}
