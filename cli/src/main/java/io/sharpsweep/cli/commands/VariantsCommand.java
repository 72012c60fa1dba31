package io.sharpsweep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sharpsweep variants ID [--json]}. */
@Command(
    name = "variants",
    mixinStandardHelpOptions = true,
    description =
        "Is sharpness-aware training worth it here? Per optimizer variant: the spread of its trials' accuracy, its best trial and cost, against SGD's best at equal and at any cost.")
public class VariantsCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(paramLabel = "ID")
  String id;

  @Option(names = "--json", description = "Print the results-store's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    JsonNode answer = endpoints.client().get(endpoints.store() + "/v1/studies/" + id + "/variants");
    if (json) {
      System.out.println(answer.toPrettyString());
    } else {
      print(System.out, id, answer);
    }
    return 0;
  }

  static void print(PrintStream out, String id, JsonNode answer) {
    String metric = answer.path("metric").asText();
    out.printf(
        Locale.ROOT,
        "Variants of study %s: %s and cost (%s) of %d completed trials%n",
        id,
        metric,
        answer.path("cost").asText(),
        answer.path("trials").asInt());
    JsonNode rows = answer.path("variants");
    if (rows.isEmpty()) {
      out.println("  no variants: " + answer.path("reason").asText());
      return;
    }
    out.printf(
        Locale.ROOT,
        "  %-11s %6s %8s %17s %15s  %8s %8s  %8s %8s  %8s %9s %11s%n",
        "variant",
        "trials",
        "median",
        "[q1, q3]",
        "mean ± std",
        "best",
        "cost",
        "SGD≤cost",
        "gain",
        "vs SGD",
        "+cost",
        "gain/+cost");
    for (JsonNode r : rows) {
      JsonNode a = r.path("accuracy");
      out.printf(
          Locale.ROOT,
          "  %-11s %6d %8.4f %17s %15s  %8.4f %8.2f  %8s %8s  %8s %9s %11s%n",
          r.path("variant").asText(),
          a.path("trials").asInt(),
          a.path("median").asDouble(),
          String.format(
              Locale.ROOT, "[%.4f, %.4f]", a.path("q1").asDouble(), a.path("q3").asDouble()),
          String.format(
              Locale.ROOT, "%.4f ± %.4f", a.path("mean").asDouble(), a.path("std").asDouble()),
          r.path("best").path("accuracy").asDouble(),
          r.path("best").path("cost").asDouble(),
          number(r.path("sgdAtEqualCost").path("accuracy"), "%.4f"),
          signed(r.path("gainAtEqualCost"), "%+.4f"),
          signed(r.path("gainOverBestSgd"), "%+.4f"),
          signed(r.path("extraCost"), "%+.2f"),
          signed(r.path("gainPerExtraCost"), "%+.5f"));
    }
    JsonNode sgd = answer.path("sgdBest");
    if (sgd.isObject()) {
      out.printf(
          Locale.ROOT,
          "  SGD's best: %.4f at cost %.2f (%s)%n",
          sgd.path("accuracy").asDouble(),
          sgd.path("cost").asDouble(),
          sgd.path("trialId").asText());
    }
    for (JsonNode r : rows) {
      if (r.hasNonNull("note")) {
        out.println("  " + r.path("variant").asText() + ": " + r.path("note").asText());
      }
    }
    if (answer.hasNonNull("reason")) {
      out.println("  " + answer.path("reason").asText());
    }
    out.println(
        "  SGD≤cost: SGD's best trial costing at most the variant's best; gain: over it; vs SGD and"
            + " +cost: against SGD's best at any cost");
  }

  private static String number(JsonNode v, String format) {
    return v.isNumber() ? String.format(Locale.ROOT, format, v.asDouble()) : "-";
  }

  private static String signed(JsonNode v, String format) {
    return number(v, format);
  }
}
