package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.plot.ParetoChart;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.api.EpochView;
import io.sharpsweep.protocol.api.ParetoAnswer;
import io.sharpsweep.protocol.api.ParetoPoint;
import io.sharpsweep.protocol.api.StoreClient;
import io.sharpsweep.protocol.api.TrialEpochs;
import io.sharpsweep.protocol.api.TrialView;
import io.sharpsweep.protocol.study.Goal;
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
  static void print(java.io.PrintStream out, String id, ParetoAnswer answer) {
    String xName = answer.x().name();
    String yName = answer.y().name();
    List<ParetoPoint> front = answer.front();
    out.printf(
        Locale.ROOT,
        "Pareto front of study %s: %d of %d %s trials, %s against %s%n",
        id,
        front.size(),
        answer.candidates(),
        answer.basis(),
        yName,
        xName);
    out.printf(Locale.ROOT, "  %-26s %22s %14s  %s%n", "trial", xName, yName, "params");
    for (ParetoPoint p : front) {
      out.printf(
          Locale.ROOT,
          "  %-26s %22.4f %14.4f  %s%n",
          p.trialId(),
          p.x(),
          p.y(),
          Json.encodeToString(p.params()));
    }
    out.printf(
        Locale.ROOT,
        "  hypervolume %.6g (reference point %s: %s)%n",
        answer.hypervolume(),
        Json.encodeToString(answer.referencePoint()),
        answer.referenceRule());
  }

  @Override
  public Integer call() throws Exception {
    StoreClient store = endpoints.storeApi();
    ParetoAnswer answer = store.pareto(id, x, y);
    if (x == null && y == null && isCost(answer.y().name()) && !isCost(answer.x().name())) {
      // cost goes on the horizontal axis, as on the dashboard
      answer = store.pareto(id, answer.y().name(), answer.x().name());
    }
    String xName = answer.x().name();
    String yName = answer.y().name();
    boolean xMax = answer.x().goal() == Goal.MAXIMIZE;
    boolean yMax = answer.y().goal() == Goal.MAXIMIZE;
    List<ParetoPoint> front = answer.front();
    print(System.out, id, answer);
    Set<String> onFront = new HashSet<>();
    front.forEach(p -> onFront.add(p.trialId()));
    if (png != null) {
      List<ParetoChart.Point> points = new ArrayList<>();
      for (TrialView t : store.allTrials(id, TrialEpochs.LAST)) {
        if (t.epochs() == null || t.epochs().isEmpty()) {
          continue;
        }
        EpochView last = t.epochs().get(t.epochs().size() - 1);
        Double xv = ObjectiveValues.of(xName, last.metrics(), last.cost());
        Double yv = ObjectiveValues.of(yName, last.metrics(), last.cost());
        if (xv != null && yv != null) {
          String tid = t.trialId();
          points.add(
              new ParetoChart.Point(
                  xv, yv, onFront.contains(tid), tid.replaceAll("^.*-(t\\d+)$", "$1")));
        }
      }
      // front points as the store reports them (they may come from a rung, not the last epoch)
      for (ParetoPoint p : front) {
        String label = p.trialId().replaceAll("^.*-(t\\d+)$", "$1");
        points.removeIf(q -> q.onFront() && q.label().equals(label));
        points.add(new ParetoChart.Point(p.x(), p.y(), true, label));
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
