package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.plot.ExploreCharts;
import io.sharpsweep.cli.plot.ExploreCharts.Axis;
import io.sharpsweep.cli.plot.ExploreCharts.Panel;
import io.sharpsweep.cli.plot.ExploreCharts.Series;
import io.sharpsweep.cli.plot.ExploreCharts.Style;
import io.sharpsweep.protocol.api.BestTrial;
import io.sharpsweep.protocol.api.CurvePoint;
import io.sharpsweep.protocol.api.EpochView;
import io.sharpsweep.protocol.api.ParetoAnswer;
import io.sharpsweep.protocol.api.ParetoPoint;
import io.sharpsweep.protocol.api.StoreClient;
import io.sharpsweep.protocol.api.StudyDetail;
import io.sharpsweep.protocol.api.TrialEpochs;
import io.sharpsweep.protocol.api.TrialView;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.ParamType;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.ObjectiveValues;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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

  private StoreClient client;

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
    client = endpoints.storeApi();
    StudyDetail detail = client.study(id);
    String name = detail.name() != null ? detail.name() : id;
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
  private void pareto(StudyDetail detail, String name) throws Exception {
    Front f = front(client.pareto(id, null, null));
    List<TrialView> trials = trials(TrialEpochs.LAST);
    List<double[]> completed = new ArrayList<>();
    List<double[]> unfinished = new ArrayList<>();
    for (TrialView t : trials) {
      EpochView last = last(t);
      Double h = value(last, f.h());
      Double v = value(last, f.v());
      if (h == null || v == null || "failed".equals(t.state())) {
        continue;
      }
      ("completed".equals(t.state()) ? completed : unfinished).add(new double[] {h, v});
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

  private void curves(StudyDetail detail, String name) throws Exception {
    String m = curveMetric != null ? curveMetric : defaultCurveMetric(detail);
    List<TrialView> trials = trials(TrialEpochs.ALL);
    Colors colors = colors(trials);
    List<Series> series = new ArrayList<>();
    for (TrialView t : trials) {
      List<double[]> pts = new ArrayList<>();
      for (EpochView e : curveOf(t)) {
        Double y = value(e, m);
        if (y != null) {
          pts.add(new double[] {e.epoch(), y});
        }
      }
      String label = label(t) + (colors.key() == null ? "" : " " + text(param(t, colors.key())));
      boolean failed = "failed".equals(t.state());
      series.add(new Series(label, colors.of(t), failed ? Style.DOTTED : Style.LINE, pts));
    }
    Panel panel =
        new Panel("Learning curves · " + label(m), "epoch", label(m), false, null, series);
    ExploreCharts.write(png, width, height, "Study " + name + " (" + id + ")", List.of(panel), 1);
  }

  private void params(StudyDetail detail, String name) throws Exception {
    String objective = objective(detail);
    List<TrialView> trials = trials(TrialEpochs.LAST);
    Colors colors = colors(trials);
    List<Panel> panels = new ArrayList<>();
    for (String p : paramNames(detail, trials)) {
      List<TrialView> drawn = new ArrayList<>();
      for (TrialView t : trials) {
        if (!"failed".equals(t.state()) && has(t, p) && value(last(t), objective) != null) {
          drawn.add(t);
        }
      }
      boolean numeric =
          !drawn.isEmpty() && drawn.stream().allMatch(t -> param(t, p) instanceof Number);
      double[] xs =
          numeric ? drawn.stream().mapToDouble(t -> number(param(t, p))).toArray() : new double[0];
      boolean log =
          numeric
              && Arrays.stream(xs).allMatch(x -> x > 0)
              && Arrays.stream(xs).max().getAsDouble() / Arrays.stream(xs).min().getAsDouble() > 20;
      List<String> categories =
          numeric
              ? null
              : new ArrayList<>(new TreeSet<>(drawn.stream().map(t -> text(param(t, p))).toList()));
      List<Series> series = new ArrayList<>();
      for (TrialView t : drawn) {
        double x = numeric ? number(param(t, p)) : categories.indexOf(text(param(t, p)));
        boolean done = "completed".equals(t.state());
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
  private void parallel(StudyDetail detail, String name) throws Exception {
    String objective = objective(detail);
    boolean minimize = goal(detail, objective).equals("minimize");
    List<TrialView> trials = trials(TrialEpochs.LAST);
    List<TrialView> drawn = new ArrayList<>();
    for (TrialView t : trials) {
      if (!"failed".equals(t.state()) && value(last(t), objective) != null) {
        drawn.add(t);
      }
    }
    Map<String, ParamSpec> space = new LinkedHashMap<>();
    space(detail).forEach(p -> space.put(p.name(), p));
    List<String> names = paramNames(detail, trials);
    List<Axis> axes = new ArrayList<>();
    for (String p : names) {
      ParamSpec spec = space.get(p);
      boolean categorical =
          spec != null
              ? spec.type() == ParamType.CATEGORICAL
              : drawn.stream().anyMatch(t -> has(t, p) && !(param(t, p) instanceof Number));
      if (categorical) {
        Set<String> choices = new LinkedHashSet<>();
        if (spec != null && spec.choices() != null) {
          spec.choices().forEach(c -> choices.add(text(c)));
        }
        drawn.forEach(
            t -> {
              if (has(t, p)) {
                choices.add(text(param(t, p)));
              }
            });
        if (drawn.stream().anyMatch(t -> !has(t, p))) {
          choices.add("—");
        }
        axes.add(new Axis(p, "category", new ArrayList<>(choices)));
      } else {
        boolean log =
            spec != null
                && spec.logScale()
                && drawn.stream()
                    .filter(t -> param(t, p) instanceof Number)
                    .allMatch(t -> number(param(t, p)) > 0);
        axes.add(new Axis(p, log ? "log" : "value", null));
      }
    }
    axes.add(new Axis(label(objective), "value", null));
    List<double[]> lines = new ArrayList<>();
    for (TrialView t : drawn) {
      double[] row = new double[axes.size()];
      for (int a = 0; a < names.size(); a++) {
        Object v = param(t, names.get(a));
        Axis axis = axes.get(a);
        row[a] =
            axis.kind().equals("category")
                ? axis.categories().indexOf(has(t, names.get(a)) ? text(v) : "—")
                : v instanceof Number n ? n.doubleValue() : Double.NaN;
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
  private void compare(StudyDetail firstDetail) throws Exception {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(concat(id, with)));
    ParetoAnswer first = client.pareto(id, null, null);
    String m = curveMetric != null ? curveMetric : defaultCurveMetric(firstDetail);
    List<Series> fronts = new ArrayList<>();
    List<Series> curves = new ArrayList<>();
    Front f0 = front(first);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      String sid = ids.get(i);
      StudyDetail detail = i == 0 ? firstDetail : client.study(sid);
      names.add(detail.name() != null ? detail.name() : sid);
    }
    for (int i = 0; i < ids.size(); i++) {
      String sid = ids.get(i);
      String label = names.get(i);
      if (names.stream().filter(label::equals).count() > 1) {
        label += " (" + sid + ")";
      }
      Color color = ExploreCharts.STUDY_COLORS[i % ExploreCharts.STUDY_COLORS.length];
      Front f = i == 0 ? f0 : front(client.pareto(sid, first.x().name(), first.y().name()));
      fronts.add(new Series(label, color, Style.STAIRS, f.points()));
      fronts.add(new Series(label, color, Style.DIAMONDS, f.points()));
      BestTrial best = client.best(sid).best();
      List<double[]> pts = new ArrayList<>();
      if (best != null && best.trialId() != null) {
        for (CurvePoint p : client.curve(sid, best.trialId()).points()) {
          Double y = pointValue(p, m);
          if (y != null) {
            pts.add(new double[] {p.epoch(), y});
          }
        }
      }
      curves.add(
          new Series(
              best != null && best.trialId() != null
                  ? label + " " + label(best.number(), best.trialId())
                  : label + " (no best trial)",
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

  private static Front front(ParetoAnswer answer) {
    Objective x = answer.x();
    Objective y = answer.y();
    boolean swap = !ParetoCommand.isCost(x.name()) && ParetoCommand.isCost(y.name());
    List<double[]> pts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (ParetoPoint p : answer.front()) {
      pts.add(swap ? new double[] {p.y(), p.x()} : new double[] {p.x(), p.y()});
      labels.add(label(p.number(), p.trialId()));
    }
    Objective h = swap ? y : x;
    Objective v = swap ? x : y;
    return new Front(h.name(), goalName(h), v.name(), goalName(v), pts, labels);
  }

  private static String goalName(Objective o) {
    return o.goal() == null ? "" : o.goal().wireName();
  }

  /** The first {@code limit} trials by number, with their last report or every epoch. */
  private List<TrialView> trials(TrialEpochs epochs) {
    return client.trials(id, limit, null, null, epochs).trials();
  }

  private static EpochView last(TrialView trial) {
    List<EpochView> curve = curveOf(trial);
    return curve.isEmpty() ? null : curve.get(curve.size() - 1);
  }

  /**
   * One report per epoch, from the latest attempt that reported it (the API lists by epoch, then
   * attempt).
   */
  private static List<EpochView> curveOf(TrialView trial) {
    Map<Integer, EpochView> byEpoch = new java.util.TreeMap<>();
    if (trial.epochs() != null) {
      trial.epochs().forEach(e -> byEpoch.put(e.epoch(), e));
    }
    return new ArrayList<>(byEpoch.values());
  }

  /** A metric of an epoch report of /trials, or null when absent or not finite. */
  static Double value(EpochView report, String metric) {
    if (report == null) {
      return null;
    }
    Double v;
    try {
      v = ObjectiveValues.of(metric, report.metrics(), report.cost());
    } catch (IllegalArgumentException unknownMetric) {
      return null;
    }
    return v != null && Double.isFinite(v) ? v : null;
  }

  /** A metric of a /curve point, or null when absent or not finite. */
  static Double pointValue(CurvePoint point, String metric) {
    Double v =
        switch (metric) {
          case "val_accuracy" -> point.valAccuracy();
          case "val_loss" -> point.valLoss();
          case "train_loss" -> point.trainLoss();
          case "test_accuracy" -> point.testAccuracy();
          case "sgd_epoch_equivalents" -> point.sgdEpochEquivalents();
          case "wall_seconds" -> point.wallSeconds();
          default -> null;
        };
    return v != null && Double.isFinite(v) ? v : null;
  }

  private static List<Objective> objectives(StudyDetail detail) {
    return detail.spec() == null || detail.spec().objectives() == null
        ? List.of()
        : detail.spec().objectives();
  }

  private static List<ParamSpec> space(StudyDetail detail) {
    return detail.spec() == null || detail.spec().space() == null
        ? List.of()
        : detail.spec().space();
  }

  private static String objective(StudyDetail detail) {
    List<Objective> objectives = objectives(detail);
    return objectives.isEmpty() || objectives.get(0) == null || objectives.get(0).name() == null
        ? "val_accuracy"
        : objectives.get(0).name();
  }

  private static String goal(StudyDetail detail, String metric) {
    for (Objective o : objectives(detail)) {
      if (o != null && metric.equals(o.name())) {
        return goalName(o);
      }
    }
    return metric.endsWith("accuracy") ? "maximize" : "minimize";
  }

  private static String defaultCurveMetric(StudyDetail detail) {
    String o = objective(detail);
    return CURVE_METRICS.contains(o) ? o : "val_accuracy";
  }

  private static Map<String, Object> params(TrialView t) {
    return t.params() == null ? Map.of() : t.params();
  }

  private static boolean has(TrialView t, String param) {
    return params(t).containsKey(param);
  }

  private static Object param(TrialView t, String param) {
    return params(t).get(param);
  }

  private static double number(Object v) {
    return ((Number) v).doubleValue();
  }

  private static List<String> paramNames(StudyDetail detail, List<TrialView> trials) {
    Set<String> names = new LinkedHashSet<>();
    space(detail).forEach(p -> names.add(p.name()));
    trials.forEach(t -> names.addAll(params(t).keySet()));
    names.removeIf(n -> trials.stream().noneMatch(t -> has(t, n)));
    return new ArrayList<>(names);
  }

  /**
   * Colour per trial as the dashboard's trialColors: by the first categorical parameter, else by
   * number.
   */
  private record Colors(String key, List<String> values) {
    Color of(TrialView t) {
      Color[] palette = ExploreCharts.TRIAL_COLORS;
      if (key == null) {
        return palette[Math.floorMod(t.number() == null ? 0 : t.number(), palette.length)];
      }
      return palette[values.indexOf(text(param(t, key))) % palette.length];
    }
  }

  private static Colors colors(List<TrialView> trials) {
    Set<String> keys = new LinkedHashSet<>();
    trials.forEach(t -> keys.addAll(params(t).keySet()));
    List<String> categorical =
        keys.stream()
            .filter(k -> trials.stream().anyMatch(t -> param(t, k) instanceof String))
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
        new ArrayList<>(new TreeSet<>(trials.stream().map(t -> text(param(t, key))).toList())));
  }

  private static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15
          ? String.valueOf((long) d)
          : new java.math.BigDecimal(d)
              .round(new java.math.MathContext(4))
              .stripTrailingZeros()
              .toPlainString();
    }
    return v instanceof String t ? t : io.sharpsweep.protocol.Json.encodeToString(v);
  }

  private static String label(TrialView trial) {
    return label(trial.number(), trial.trialId());
  }

  private static String label(Integer number, String trialId) {
    return number != null ? "#" + number : trialId;
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

  private static List<String> concat(String first, List<String> rest) {
    List<String> out = new ArrayList<>();
    out.add(first);
    rest.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    return out;
  }
}
