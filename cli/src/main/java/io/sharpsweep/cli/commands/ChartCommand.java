package io.sharpsweep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.client.ServiceClient;
import io.sharpsweep.cli.plot.ExploreCharts;
import io.sharpsweep.cli.plot.ExploreCharts.Axis;
import io.sharpsweep.cli.plot.ExploreCharts.Panel;
import io.sharpsweep.cli.plot.ExploreCharts.Series;
import io.sharpsweep.cli.plot.ExploreCharts.Style;
import java.awt.Color;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sharpsweep chart ID --kind pareto|curves|params|parallel|compare [--with ID2,…] --png
 * out.png}: one of the dashboard's charts, drawn from the same REST answers with Java2D ({@link
 * ExploreCharts}), so it needs neither a browser nor the dashboard's bundle.
 */
@Command(
    name = "chart",
    mixinStandardHelpOptions = true,
    description =
        "Draw one of the dashboard's charts of a study as a PNG: pareto (accuracy versus cost with the store's front), curves (learning curves), params (each parameter against the objective), parallel (parallel coordinates), compare (the fronts and best trials' curves of ID and the --with studies).")
public class ChartCommand implements Callable<Integer> {
  /** The charts this command draws. */
  public enum Kind {
    pareto,
    curves,
    params,
    parallel,
    compare
  }

  private static final List<String> CURVE_METRICS =
      List.of("val_accuracy", "val_loss", "train_loss", "test_accuracy");

  @Mixin Endpoints endpoints;

  @Parameters(paramLabel = "ID")
  String id;

  @Option(
      names = "--kind",
      required = true,
      paramLabel = "KIND",
      description = "pareto, curves, params, parallel or compare.")
  Kind kind;

  @Option(
      names = "--with",
      split = ",",
      paramLabel = "ID2",
      description = "The other studies of --kind compare, comma-separated.")
  List<String> with = new ArrayList<>();

  @Option(names = "--png", required = true, paramLabel = "FILE", description = "The PNG to write.")
  Path png;

  @Option(names = "--width", paramLabel = "PX", description = "Width in pixels (default 1200).")
  int width = 1200;

  @Option(names = "--height", paramLabel = "PX", description = "Height in pixels (default 700).")
  int height = 700;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "Trials drawn by pareto (as points), curves, params and parallel: the first N by number, 1 to 1000 (default 50, the dashboard's page).")
  int limit = 50;

  @Option(
      names = "--metric",
      paramLabel = "METRIC",
      description =
          "The curves' metric: val_accuracy, val_loss, train_loss or test_accuracy (default: the study's objective when it is one, else val_accuracy).")
  String curveMetric;

  private ServiceClient client;

  @Override
  public Integer call() throws Exception {
    if (width < 200 || width > 8000 || height < 150 || height > 8000) {
      throw new UserException("--width must be 200 to 8000 and --height 150 to 8000 pixels");
    }
    if (limit < 1 || limit > 1000) {
      throw new UserException("--limit must be 1 to 1000");
    }
    if (curveMetric != null && !CURVE_METRICS.contains(curveMetric)) {
      throw new UserException("--metric must be one of " + CURVE_METRICS);
    }
    if (kind == Kind.compare && with.isEmpty()) {
      throw new UserException("--kind compare needs --with ID2[,ID3…]");
    }
    client = endpoints.client();
    JsonNode detail = client.get(study(id));
    String name = detail.path("name").asText(id);
    switch (kind) {
      case pareto -> pareto(detail, name);
      case curves -> curves(detail, name);
      case params -> params(detail, name);
      case parallel -> parallel(detail, name);
      case compare -> compare(detail);
    }
    System.out.println("wrote " + png.toAbsolutePath());
    return 0;
  }

  // ---- the charts ----------------------------------------------------------------------------

  /** Accuracy versus cost, as the dashboard draws it: the page's trials and the store's front. */
  private void pareto(JsonNode detail, String name) throws Exception {
    JsonNode answer = client.get(study(id) + "/pareto");
    Front f = front(answer);
    List<JsonNode> trials = trials("last");
    List<double[]> completed = new ArrayList<>();
    List<double[]> unfinished = new ArrayList<>();
    for (JsonNode t : trials) {
      JsonNode last = last(t);
      Double h = value(last, f.h());
      Double v = value(last, f.v());
      if (h == null || v == null || t.path("state").asText().equals("failed")) {
        continue;
      }
      (t.path("state").asText().equals("completed") ? completed : unfinished)
          .add(new double[] {h, v});
    }
    Panel panel =
        new Panel(
            "Accuracy versus cost · " + f.points().size() + " on the front (store)",
            axisName(f.h(), f.hGoal()),
            axisName(f.v(), f.vGoal()),
            false,
            null,
            List.of(
                new Series("completed", ExploreCharts.MUTED, Style.DOTS, completed),
                new Series(
                    "unfinished (latest epoch)",
                    ExploreCharts.UNFINISHED,
                    Style.HOLLOW,
                    unfinished),
                new Series("Pareto front", ExploreCharts.FRONT, Style.STAIRS, f.points()),
                new Series(
                    "Pareto front", ExploreCharts.FRONT, Style.DIAMONDS, f.points(), f.labels())));
    ExploreCharts.write(png, width, height, "Study " + name + " (" + id + ")", List.of(panel), 1);
  }

  private void curves(JsonNode detail, String name) throws Exception {
    String m = curveMetric != null ? curveMetric : defaultCurveMetric(detail);
    List<JsonNode> trials = trials("all");
    Colors colors = colors(trials);
    List<Series> series = new ArrayList<>();
    for (JsonNode t : trials) {
      List<double[]> pts = new ArrayList<>();
      for (JsonNode e : curveOf(t)) {
        Double y = value(e, m);
        if (y != null) {
          pts.add(new double[] {e.path("epoch").asDouble(), y});
        }
      }
      String label =
          label(t) + (colors.key() == null ? "" : " " + text(t.path("params").path(colors.key())));
      boolean failed = t.path("state").asText().equals("failed");
      series.add(new Series(label, colors.of(t), failed ? Style.DOTTED : Style.LINE, pts));
    }
    Panel panel =
        new Panel("Learning curves · " + label(m), "epoch", label(m), false, null, series);
    ExploreCharts.write(png, width, height, "Study " + name + " (" + id + ")", List.of(panel), 1);
  }

  private void params(JsonNode detail, String name) throws Exception {
    String objective = objective(detail);
    List<JsonNode> trials = trials("last");
    Colors colors = colors(trials);
    List<Panel> panels = new ArrayList<>();
    for (String p : paramNames(detail, trials)) {
      List<JsonNode> drawn = new ArrayList<>();
      for (JsonNode t : trials) {
        if (!t.path("state").asText().equals("failed")
            && t.path("params").has(p)
            && value(last(t), objective) != null) {
          drawn.add(t);
        }
      }
      boolean numeric =
          !drawn.isEmpty() && drawn.stream().allMatch(t -> t.path("params").path(p).isNumber());
      double[] xs =
          numeric
              ? drawn.stream().mapToDouble(t -> t.path("params").path(p).asDouble()).toArray()
              : new double[0];
      boolean log =
          numeric
              && Arrays.stream(xs).allMatch(x -> x > 0)
              && Arrays.stream(xs).max().getAsDouble() / Arrays.stream(xs).min().getAsDouble() > 20;
      List<String> categories =
          numeric
              ? null
              : new ArrayList<>(
                  new TreeSet<>(drawn.stream().map(t -> text(t.path("params").path(p))).toList()));
      List<Series> series = new ArrayList<>();
      for (JsonNode t : drawn) {
        double x =
            numeric
                ? t.path("params").path(p).asDouble()
                : categories.indexOf(text(t.path("params").path(p)));
        boolean done = t.path("state").asText().equals("completed");
        series.add(
            new Series(
                null,
                colors.of(t),
                done ? Style.DOTS : Style.HOLLOW,
                List.of(new double[] {x, value(last(t), objective)})));
      }
      panels.add(
          new Panel(p, p + (log ? " (log)" : ""), label(objective), log, categories, series));
    }
    if (panels.isEmpty()) {
      throw new UserException("study " + id + " has no parameter to plot yet");
    }
    int columns = Math.min(panels.size(), width >= 900 ? 3 : 2);
    ExploreCharts.write(
        png,
        width,
        height,
        "Study " + name + ": parameters versus " + label(objective),
        panels,
        columns);
  }

  /**
   * The rules of the dashboard's parallel.js: the space's axes in its order, then the objective.
   */
  private void parallel(JsonNode detail, String name) throws Exception {
    String objective = objective(detail);
    boolean minimize = goal(detail, objective).equals("minimize");
    List<JsonNode> trials = trials("last");
    List<JsonNode> drawn = new ArrayList<>();
    for (JsonNode t : trials) {
      if (!t.path("state").asText().equals("failed") && value(last(t), objective) != null) {
        drawn.add(t);
      }
    }
    Map<String, JsonNode> space = new LinkedHashMap<>();
    detail.path("spec").path("space").forEach(p -> space.put(p.path("name").asText(), p));
    List<String> names = paramNames(detail, trials);
    List<Axis> axes = new ArrayList<>();
    for (String p : names) {
      JsonNode spec = space.get(p);
      boolean categorical =
          spec != null
              ? spec.path("type").asText().equals("categorical")
              : drawn.stream()
                  .anyMatch(t -> t.path("params").has(p) && !t.path("params").path(p).isNumber());
      if (categorical) {
        Set<String> choices = new LinkedHashSet<>();
        if (spec != null) {
          spec.path("choices").forEach(c -> choices.add(text(c)));
        }
        drawn.forEach(
            t -> {
              if (t.path("params").has(p)) {
                choices.add(text(t.path("params").path(p)));
              }
            });
        if (drawn.stream().anyMatch(t -> !t.path("params").has(p))) {
          choices.add("—");
        }
        axes.add(new Axis(p, "category", new ArrayList<>(choices)));
      } else {
        boolean log =
            spec != null
                && spec.path("log").asBoolean(false)
                && drawn.stream()
                    .filter(t -> t.path("params").path(p).isNumber())
                    .allMatch(t -> t.path("params").path(p).asDouble() > 0);
        axes.add(new Axis(p, log ? "log" : "value", null));
      }
    }
    axes.add(new Axis(label(objective), "value", null));
    List<double[]> lines = new ArrayList<>();
    for (JsonNode t : drawn) {
      double[] row = new double[axes.size()];
      for (int a = 0; a < names.size(); a++) {
        JsonNode v = t.path("params").path(names.get(a));
        Axis axis = axes.get(a);
        row[a] =
            axis.kind().equals("category")
                ? axis.categories().indexOf(t.path("params").has(names.get(a)) ? text(v) : "—")
                : v.isNumber() ? v.asDouble() : Double.NaN;
      }
      row[names.size()] = value(last(t), objective);
      lines.add(row);
    }
    long total = trials.size();
    String note =
        lines.size()
            + " trials of the first "
            + total
            + " (by number) at their last epoch (epochs=last) · colour: "
            + label(objective);
    ExploreCharts.writeParallel(
        png,
        width,
        height,
        "Study " + name + ": parallel coordinates",
        note,
        axes,
        lines,
        minimize);
  }

  /**
   * The dashboard's compare view: the fronts over the first study's metrics, and the best curves.
   */
  private void compare(JsonNode firstDetail) throws Exception {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(concat(id, with)));
    JsonNode first = client.get(study(id) + "/pareto");
    String axes =
        "?x="
            + enc(first.path("x").path("name").asText())
            + "&y="
            + enc(first.path("y").path("name").asText());
    String m = curveMetric != null ? curveMetric : defaultCurveMetric(firstDetail);
    List<Series> fronts = new ArrayList<>();
    List<Series> curves = new ArrayList<>();
    Front f0 = front(first);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      String sid = ids.get(i);
      JsonNode detail = i == 0 ? firstDetail : client.get(study(sid));
      names.add(detail.path("name").asText(sid));
    }
    for (int i = 0; i < ids.size(); i++) {
      String sid = ids.get(i);
      String label = names.get(i);
      if (names.stream().filter(label::equals).count() > 1) {
        label += " (" + sid + ")";
      }
      Color color = ExploreCharts.STUDY_COLORS[i % ExploreCharts.STUDY_COLORS.length];
      Front f = i == 0 ? f0 : front(client.get(study(sid) + "/pareto" + axes));
      fronts.add(new Series(label, color, Style.STAIRS, f.points()));
      fronts.add(new Series(label, color, Style.DIAMONDS, f.points()));
      JsonNode best = client.get(study(sid) + "/best").path("best");
      List<double[]> pts = new ArrayList<>();
      if (best.hasNonNull("trialId")) {
        JsonNode curve =
            client.get(study(sid) + "/trials/" + enc(best.path("trialId").asText()) + "/curve");
        for (JsonNode p : curve.path("points")) {
          Double y = pointValue(p, m);
          if (y != null) {
            pts.add(new double[] {p.path("epoch").asDouble(), y});
          }
        }
      }
      curves.add(
          new Series(
              best.hasNonNull("trialId") ? label + " " + label(best) : label + " (no best trial)",
              color,
              Style.LINE,
              pts));
    }
    List<Panel> panels =
        List.of(
            new Panel(
                "Pareto fronts (store)",
                axisName(f0.h(), f0.hGoal()),
                axisName(f0.v(), f0.vGoal()),
                false,
                null,
                fronts),
            new Panel("Best trials' learning curves", "epoch", label(m), false, null, curves));
    ExploreCharts.write(
        png, width, height, "Comparing " + String.join(" · ", names), panels, width >= 800 ? 2 : 1);
  }

  // ---- the data --------------------------------------------------------------------------------

  /** A front with cost across: h and v are the horizontal and vertical metrics. */
  private record Front(
      String h, String hGoal, String v, String vGoal, List<double[]> points, List<String> labels) {}

  private static Front front(JsonNode answer) {
    String x = answer.path("x").path("name").asText();
    String y = answer.path("y").path("name").asText();
    boolean swap = !ParetoCommand.isCost(x) && ParetoCommand.isCost(y);
    List<double[]> pts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (JsonNode p : answer.path("front")) {
      double px = p.path("x").asDouble();
      double py = p.path("y").asDouble();
      pts.add(swap ? new double[] {py, px} : new double[] {px, py});
      labels.add(label(p));
    }
    JsonNode hx = swap ? answer.path("y") : answer.path("x");
    JsonNode vx = swap ? answer.path("x") : answer.path("y");
    return new Front(
        hx.path("name").asText(),
        hx.path("goal").asText(),
        vx.path("name").asText(),
        vx.path("goal").asText(),
        pts,
        labels);
  }

  /** The first {@code limit} trials by number, with their last report or every epoch. */
  private List<JsonNode> trials(String epochs) {
    List<JsonNode> out = new ArrayList<>();
    client.get(study(id) + "/trials?limit=" + limit + "&epochs=" + epochs).forEach(out::add);
    return out;
  }

  private String study(String sid) {
    return endpoints.store() + "/v1/studies/" + enc(sid);
  }

  private static JsonNode last(JsonNode trial) {
    List<JsonNode> curve = curveOf(trial);
    return curve.isEmpty() ? null : curve.get(curve.size() - 1);
  }

  /**
   * One report per epoch, from the latest attempt that reported it (the API lists by epoch, then
   * attempt).
   */
  private static List<JsonNode> curveOf(JsonNode trial) {
    Map<Integer, JsonNode> byEpoch = new java.util.TreeMap<>();
    trial.path("epochs").forEach(e -> byEpoch.put(e.path("epoch").asInt(), e));
    return new ArrayList<>(byEpoch.values());
  }

  /** A metric of an epoch report of /trials ({metrics: {valAccuracy…}, cost: {…}}), or null. */
  static Double value(JsonNode report, String metric) {
    if (report == null) {
      return null;
    }
    JsonNode v =
        switch (metric) {
          case "sgd_epoch_equivalents" -> report.path("cost").path("sgdEpochEquivalents");
          case "wall_seconds" -> report.path("cost").path("wallSeconds");
          default -> report.path("metrics").path(camel(metric));
        };
    return v.isNumber() && Double.isFinite(v.asDouble()) ? v.asDouble() : null;
  }

  /** A metric of a /curve point (flat: {valAccuracy, sgdEpochEquivalents, …}), or null. */
  static Double pointValue(JsonNode point, String metric) {
    JsonNode v = point.path(camel(metric));
    return v.isNumber() && Double.isFinite(v.asDouble()) ? v.asDouble() : null;
  }

  private static String camel(String snake) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  private static String objective(JsonNode detail) {
    JsonNode o = detail.path("spec").path("objectives").path(0);
    return o.isMissingNode()
        ? "val_accuracy"
        : o.path("name").asText(o.path("metric").asText("val_accuracy"));
  }

  private static String goal(JsonNode detail, String metric) {
    for (JsonNode o : detail.path("spec").path("objectives")) {
      if (metric.equals(o.path("name").asText())) {
        return o.path("goal").asText().toLowerCase(Locale.ROOT);
      }
    }
    return metric.endsWith("accuracy") ? "maximize" : "minimize";
  }

  private static String defaultCurveMetric(JsonNode detail) {
    String o = objective(detail);
    return CURVE_METRICS.contains(o) ? o : "val_accuracy";
  }

  private static List<String> paramNames(JsonNode detail, List<JsonNode> trials) {
    Set<String> names = new LinkedHashSet<>();
    detail.path("spec").path("space").forEach(p -> names.add(p.path("name").asText()));
    trials.forEach(t -> t.path("params").fieldNames().forEachRemaining(names::add));
    names.removeIf(n -> trials.stream().noneMatch(t -> t.path("params").has(n)));
    return new ArrayList<>(names);
  }

  /**
   * Colour per trial as the dashboard's trialColors: by the first categorical parameter, else by
   * number.
   */
  private record Colors(String key, List<String> values) {
    Color of(JsonNode t) {
      Color[] palette = ExploreCharts.TRIAL_COLORS;
      if (key == null) {
        return palette[Math.floorMod(t.path("number").asInt(0), palette.length)];
      }
      return palette[values.indexOf(text(t.path("params").path(key))) % palette.length];
    }
  }

  private static Colors colors(List<JsonNode> trials) {
    Set<String> keys = new LinkedHashSet<>();
    trials.forEach(t -> t.path("params").fieldNames().forEachRemaining(keys::add));
    List<String> categorical =
        keys.stream()
            .filter(k -> trials.stream().anyMatch(t -> t.path("params").path(k).isTextual()))
            .toList();
    String key =
        categorical.stream()
            .filter(k -> k.matches("(?i).*(variant|optimi[sz]er|method).*"))
            .findFirst()
            .orElse(categorical.isEmpty() ? null : categorical.get(0));
    if (key == null) {
      return new Colors(null, List.of());
    }
    return new Colors(
        key,
        new ArrayList<>(
            new TreeSet<>(trials.stream().map(t -> text(t.path("params").path(key))).toList())));
  }

  private static String text(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return "";
    }
    if (v.isNumber()) {
      double d = v.asDouble();
      return d == Math.rint(d) && Math.abs(d) < 1e15
          ? String.valueOf((long) d)
          : new java.math.BigDecimal(d)
              .round(new java.math.MathContext(4))
              .stripTrailingZeros()
              .toPlainString();
    }
    return v.isTextual() ? v.asText() : v.toString();
  }

  private static String label(JsonNode trial) {
    return trial.hasNonNull("number")
        ? "#" + trial.path("number").asInt()
        : trial.path("trialId").asText();
  }

  /** The dashboard's metric labels (metrics.js). */
  static String label(String metric) {
    return switch (metric) {
      case "val_accuracy" -> "val accuracy";
      case "val_loss" -> "val loss";
      case "train_loss" -> "train loss";
      case "test_accuracy" -> "test accuracy";
      case "sgd_epoch_equivalents" -> "cost (SGD-epoch equivalents)";
      case "wall_seconds" -> "wall seconds";
      default -> metric;
    };
  }

  private static String axisName(String metric, String goal) {
    return label(metric) + (goal.equalsIgnoreCase("maximize") ? " ↑" : " ↓");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> out = new ArrayList<>();
    out.add(first);
    rest.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    return out;
  }
}
