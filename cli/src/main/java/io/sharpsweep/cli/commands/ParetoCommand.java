package io.sharpsweep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.sharpsweep.cli.client.ServiceClient;
import io.sharpsweep.cli.plot.ParetoChart;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.study.ObjectiveValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sharpsweep pareto ID [--png front.png]}: the accuracy-versus-cost front, as a table and a
 * chart.
 */
@Command(
    name = "pareto",
    mixinStandardHelpOptions = true,
    description =
        "Print the Pareto front of a study over two metrics (the study's two objectives by default) with its hypervolume; --png draws every trial with the front highlighted.")
public class ParetoCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(paramLabel = "ID")
  String id;

  @Option(names = "--png", paramLabel = "FILE", description = "Also draw the front as a PNG chart.")
  Path png;

  @Option(
      names = "--x",
      paramLabel = "METRIC",
      description = "Metric on the x axis (default: the study's second objective).")
  String x;

  @Option(
      names = "--y",
      paramLabel = "METRIC",
      description = "Metric on the y axis (default: the study's first objective).")
  String y;

  static boolean isCost(String metric) {
    return metric.equals("sgd_epoch_equivalents") || metric.equals("wall_seconds");
  }

  /**
   * The front as a table: trial, both metrics, parameters; then the hypervolume and its reference
   * point.
   */
  static void print(java.io.PrintStream out, String id, JsonNode answer) {
    String xName = answer.path("x").path("name").asText();
    String yName = answer.path("y").path("name").asText();
    JsonNode front = answer.path("front");
    out.printf(
        Locale.ROOT,
        "Pareto front of study %s: %d of %d %s trials, %s against %s%n",
        id,
        front.size(),
        answer.path("candidates").asInt(),
        answer.path("basis").asText(),
        yName,
        xName);
    out.printf(Locale.ROOT, "  %-26s %22s %14s  %s%n", "trial", xName, yName, "params");
    for (JsonNode p : front) {
      out.printf(
          Locale.ROOT,
          "  %-26s %22.4f %14.4f  %s%n",
          p.path("trialId").asText(),
          p.path("x").asDouble(),
          p.path("y").asDouble(),
          p.path("params"));
    }
    out.printf(
        Locale.ROOT,
        "  hypervolume %.6g (reference point %s: %s)%n",
        answer.path("hypervolume").asDouble(),
        answer.path("referencePoint"),
        answer.path("referenceRule").asText());
  }

  @Override
  public Integer call() throws Exception {
    ServiceClient client = endpoints.client();
    String url = endpoints.store() + "/v1/studies/" + id + "/pareto";
    if (x != null || y != null) {
      url +=
          "?"
              + (x != null ? "x=" + x : "")
              + (x != null && y != null ? "&" : "")
              + (y != null ? "y=" + y : "");
    }
    JsonNode answer = client.get(url);
    if (x == null
        && y == null
        && isCost(answer.path("y").path("name").asText())
        && !isCost(answer.path("x").path("name").asText())) {
      // cost goes on the horizontal axis, as on the dashboard
      answer =
          client.get(
              url
                  + "?x="
                  + answer.path("y").path("name").asText()
                  + "&y="
                  + answer.path("x").path("name").asText());
    }
    String xName = answer.path("x").path("name").asText();
    String yName = answer.path("y").path("name").asText();
    boolean xMax = answer.path("x").path("goal").asText().equals("maximize");
    boolean yMax = answer.path("y").path("goal").asText().equals("maximize");
    JsonNode front = answer.path("front");
    print(System.out, id, answer);
    Set<String> onFront = new HashSet<>();
    front.forEach(p -> onFront.add(p.path("trialId").asText()));
    if (png != null) {
      List<ParetoChart.Point> points = new ArrayList<>();
      for (JsonNode t :
          client.getAllPages(
              endpoints.store() + "/v1/studies/" + id + "/trials?limit=1000&epochs=last")) {
        JsonNode epochs = t.path("epochs");
        if (epochs.isEmpty()) {
          continue;
        }
        JsonNode last = epochs.get(epochs.size() - 1);
        Metrics m = Json.mapper().treeToValue(last.path("metrics"), Metrics.class);
        Cost c = Json.mapper().treeToValue(last.path("cost"), Cost.class);
        Double xv = ObjectiveValues.of(xName, m, c);
        Double yv = ObjectiveValues.of(yName, m, c);
        if (xv != null && yv != null) {
          String tid = t.path("trialId").asText();
          points.add(
              new ParetoChart.Point(
                  xv, yv, onFront.contains(tid), tid.replaceAll("^.*-(t\\d+)$", "$1")));
        }
      }
      // front points as the store reports them (they may come from a rung, not the last epoch)
      for (JsonNode p : front) {
        String label = p.path("trialId").asText().replaceAll("^.*-(t\\d+)$", "$1");
        points.removeIf(q -> q.onFront() && q.label().equals(label));
        points.add(
            new ParetoChart.Point(p.path("x").asDouble(), p.path("y").asDouble(), true, label));
      }
      ParetoChart.write(
          png,
          "Study " + id + ": " + yName + " against " + xName,
          xName,
          xMax,
          yName,
          yMax,
          points);
      System.out.println("wrote " + png.toAbsolutePath());
    }
    return 0;
  }
}
