package io.sharpsweep.cli.commands;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.api.ImportanceAnswer;
import io.sharpsweep.protocol.api.ParamImportance;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    ImportanceAnswer answer = endpoints.storeApi().importance(id, objective);
    if (json) {
      System.out.println(Json.pretty(answer));
    } else {
      print(System.out, id, answer);
    }
    return 0;
  }

  /** The importances as a table with a bar each, then why any is missing. */
  static void print(PrintStream out, String id, ImportanceAnswer answer) {
    out.printf(
        Locale.ROOT,
        "Parameter importance in study %s for %s (%s, %d trees, seed %d): %d completed trials%n",
        id,
        answer.objective() == null ? "" : answer.objective().name(),
        answer.method(),
        answer.trees(),
        answer.seed(),
        answer.trials());
    List<ParamImportance> rows = answer.importances() == null ? List.of() : answer.importances();
    if (rows.isEmpty()) {
      out.println("  no importances: " + answer.reason());
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
    for (ParamImportance r : rows) {
      Double imp = r.importance();
      String over =
          r.condition() != null
              ? "the trials that set it " + condition(r.condition())
              : "all trials";
      if (imp != null) {
        int width = (int) Math.round(imp * BAR);
        out.printf(
            Locale.ROOT,
            "  %-14s %10.4f %8.4f %7d  %-" + BAR + "s  %s%n",
            r.param(),
            imp,
            r.std() == null ? 0.0 : r.std(),
            r.trials(),
            "#".repeat(Math.max(0, Math.min(BAR, width))),
            over);
      } else {
        out.printf(
            Locale.ROOT,
            "  %-14s %10s %8s %7d  %-" + BAR + "s  %s: %s%n",
            r.param(),
            "-",
            "",
            r.trials(),
            "",
            over,
            r.note());
      }
    }
    out.println(
        "  importances over all trials sum to 1; a conditional parameter's is its share among the"
            + " parameters those trials set");
  }

  private static String condition(Map<String, List<Object>> when) {
    StringBuilder s = new StringBuilder();
    when.forEach(
        (param, values) -> {
          if (!s.isEmpty()) {
            s.append(", ");
          }
          StringBuilder v = new StringBuilder();
          values.forEach(x -> v.append(v.isEmpty() ? "" : ", ").append(x));
          s.append("(").append(param).append(" in [").append(v).append("])");
        });
    return s.toString();
  }
}
