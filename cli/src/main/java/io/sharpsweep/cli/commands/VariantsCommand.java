package io.sharpsweep.cli.commands;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.api.VariantsAnswer;
import io.sharpsweep.protocol.api.VariantsAnswer.Point;
import io.sharpsweep.protocol.api.VariantsAnswer.Spread;
import io.sharpsweep.protocol.api.VariantsAnswer.VariantRow;
import java.io.PrintStream;
import java.util.List;
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
    VariantsAnswer answer = endpoints.storeApi().variants(id);
    if (json) {
      System.out.println(Json.pretty(answer));
    } else {
      print(System.out, id, answer);
    }
    return 0;
  }

  static void print(PrintStream out, String id, VariantsAnswer answer) {
    String metric = answer.metric();
    out.printf(
        Locale.ROOT,
        "Variants of study %s: %s and cost (%s) of %d completed trials%n",
        id,
        metric,
        answer.cost(),
        answer.trials());
    List<VariantRow> rows = answer.variants() == null ? List.of() : answer.variants();
    if (rows.isEmpty()) {
      out.println("  no variants: " + answer.reason());
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
    for (VariantRow r : rows) {
      Spread a = r.accuracy();
      out.printf(
          Locale.ROOT,
          "  %-11s %6d %8.4f %17s %15s  %8.4f %8.2f  %8s %8s  %8s %9s %11s%n",
          r.variant(),
          a.trials(),
          a.median(),
          String.format(Locale.ROOT, "[%.4f, %.4f]", a.q1(), a.q3()),
          String.format(Locale.ROOT, "%.4f ± %.4f", a.mean(), a.std()),
          r.best().accuracy(),
          r.best().cost(),
          number(r.sgdAtEqualCost() == null ? null : r.sgdAtEqualCost().accuracy(), "%.4f"),
          number(r.gainAtEqualCost(), "%+.4f"),
          number(r.gainOverBestSgd(), "%+.4f"),
          number(r.extraCost(), "%+.2f"),
          number(r.gainPerExtraCost(), "%+.5f"));
    }
    Point sgd = answer.sgdBest();
    if (sgd != null) {
      out.printf(
          Locale.ROOT,
          "  SGD's best: %.4f at cost %.2f (%s)%n",
          sgd.accuracy(),
          sgd.cost(),
          sgd.trialId());
    }
    for (VariantRow r : rows) {
      if (r.note() != null) {
        out.println("  " + r.variant() + ": " + r.note());
      }
    }
    if (answer.reason() != null) {
      out.println("  " + answer.reason());
    }
    out.println(
        "  SGD≤cost: SGD's best trial costing at most the variant's best; gain: over it; vs SGD and"
            + " +cost: against SGD's best at any cost");
  }

  private static String number(Double v, String format) {
    return v != null ? String.format(Locale.ROOT, format, v) : "-";
  }
}
