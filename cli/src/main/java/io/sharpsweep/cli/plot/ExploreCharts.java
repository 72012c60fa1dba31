package io.sharpsweep.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The dashboard's charts drawn headless with Java2D, for {@code sharpsweep chart}: x/y panels
 * (scatters, lines, fronts' staircases; a value, log or category x axis), laid out in a grid, and
 * parallel coordinates. The colours are the dashboard's.
 */
public final class ExploreCharts {
  /** The dashboard's palettes (dashboard.js, compare.js, parallel.js). */
  public static final Color[] TRIAL_COLORS =
      hex(
          "#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4",
          "#ea7ccc", "#2f4554");

  public static final Color[] STUDY_COLORS =
      hex("#5470c6", "#ee6666", "#3ba272", "#fc8452", "#9a60b4", "#73c0de", "#fac858", "#2f4554");
  public static final Color FRONT = new Color(0xD6336C);
  public static final Color MUTED = new Color(0x9AA5B8);
  public static final Color UNFINISHED = new Color(0x2F80ED);
  private static final Color[] RAMP = hex("#3b6fc4", "#73c0de", "#f2b642", "#d6336c");
  private static final Color TEXT = new Color(0x2D3748);
  private static final Color AXIS = new Color(0xC3CAD6);
  private static final Color GRID = new Color(0xEEF1F5);

  /** How a series is drawn. */
  public enum Style {
    DOTS,
    HOLLOW,
    DIAMONDS,
    LINE,
    /** A failed trial's curve, as the dashboard draws it. */
    DOTTED,
    STAIRS
  }

  /**
   * One series: its points ({x, y}; on a category axis x is the category's index), and, for
   * diamonds, a label per point (or null).
   */
  public record Series(
      String name, Color color, Style style, List<double[]> points, List<String> labels) {
    public Series(String name, Color color, Style style, List<double[]> points) {
      this(name, color, style, points, null);
    }
  }

  /**
   * One chart: {@code categories} non-null makes x a category axis; {@code logX} a log one. Series
   * named null stay out of the legend.
   */
  public record Panel(
      String title,
      String xLabel,
      String yLabel,
      boolean logX,
      List<String> categories,
      List<Series> series) {}

  /** A parallel axis: kind "category" (with its categories), "log" or "value". */
  public record Axis(String name, String kind, List<String> categories) {}

  private ExploreCharts() {}

  /** Panels in a grid of {@code columns} columns under a title, written as a PNG. */
  public static void write(
      Path file, int width, int height, String title, List<Panel> panels, int columns)
      throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = start(image, title);
    int rows = (panels.size() + columns - 1) / columns;
    int top = 44;
    double cw = (width - 16.0) / columns;
    double ch = (height - top - 8.0) / Math.max(1, rows);
    for (int i = 0; i < panels.size(); i++) {
      Rectangle2D.Double box =
          new Rectangle2D.Double(8 + cw * (i % columns), top + ch * (i / columns), cw - 8, ch - 8);
      panel(g, box, panels.get(i));
    }
    finish(g, image, file);
  }

  /**
   * Parallel coordinates: one vertical axis per {@code axes}, one line per row of {@code lines}
   * (NaN: no value; on a category axis the category's index), coloured by the last axis (the
   * objective) from blue (worst) to magenta (best).
   */
  public static void writeParallel(
      Path file,
      int width,
      int height,
      String title,
      String note,
      List<Axis> axes,
      List<double[]> lines,
      boolean minimize)
      throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = start(image, title);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(MUTED.darker());
    g.drawString(note, 16, 58);
    int n = axes.size();
    ParallelFrame f =
        new ParallelFrame(axes, axisRanges(axes, lines), 70, width - 110, 100, height - 40);
    double lo = lines.stream().mapToDouble(l -> l[n - 1]).min().orElse(0);
    double hi = lines.stream().mapToDouble(l -> l[n - 1]).max().orElse(1);
    g.setStroke(new BasicStroke(1.6f));
    for (double[] line : lines) {
      double t = hi > lo ? (line[n - 1] - lo) / (hi - lo) : 1;
      g.setColor(withAlpha(ramp(minimize ? 1 - t : t), 200));
      g.draw(f.path(line));
    }
    g.setStroke(new BasicStroke(1f));
    for (int a = 0; a < n; a++) {
      drawParallelAxis(g, f, a);
    }
    // the colour scale of the objective
    double sx = width - 60;
    double top = f.top();
    for (int i = 0; i < 160; i++) {
      double t = 1 - i / 159.0;
      g.setColor(ramp(minimize ? 1 - t : t));
      g.fill(new Rectangle2D.Double(sx, top + 20 + i, 16, 1.2));
    }
    g.setColor(TEXT);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawString(tick(minimize ? lo : hi), (float) sx - 4, (float) top + 14);
    g.drawString(tick(minimize ? hi : lo), (float) sx - 4, (float) top + 194);
    g.drawString("best", (float) sx - 4, (float) top + 2);
    if (lines.isEmpty()) {
      g.drawString(
          "no trial has a value of the objective yet", (float) width / 2 - 120, (float) height / 2);
    }
    finish(g, image, file);
  }

  /** Each axis's value range: its categories' indices ± 0.5, else its values' range padded. */
  private static double[][] axisRanges(List<Axis> axes, List<double[]> lines) {
    int n = axes.size();
    double[][] ranges = new double[n][];
    for (int a = 0; a < n; a++) {
      Axis axis = axes.get(a);
      if (axis.kind().equals("category")) {
        ranges[a] = new double[] {-0.5, axis.categories().size() - 0.5};
      } else {
        int col = a;
        double[] vs =
            lines.stream().mapToDouble(l -> l[col]).filter(v -> !Double.isNaN(v)).toArray();
        boolean log = axis.kind().equals("log");
        ranges[a] = range(vs, log, 0.04);
      }
    }
    return ranges;
  }

  /** Axis {@code a} of the parallel coordinates: its line, name and ticks. */
  private static void drawParallelAxis(Graphics2D g, ParallelFrame f, int a) {
    int n = f.axes().size();
    double x = f.x(a);
    Axis axis = f.axes().get(a);
    g.setColor(new Color(0x4A5568));
    g.draw(new java.awt.geom.Line2D.Double(x, f.top(), x, f.bottom()));
    g.setFont(new Font(Font.SANS_SERIF, a == n - 1 ? Font.BOLD : Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    g.setColor(TEXT);
    g.drawString(
        axis.name(), (float) (x - fm.stringWidth(axis.name()) / 2.0), (float) f.top() - 14);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    fm = g.getFontMetrics();
    List<double[]> ticks = new ArrayList<>();
    if (axis.kind().equals("category")) {
      for (int c = 0; c < axis.categories().size(); c++) {
        ticks.add(new double[] {c});
      }
    } else {
      for (double v : ticks(f.ranges()[a], axis.kind().equals("log"), 6)) {
        ticks.add(new double[] {v});
      }
    }
    for (double[] tk : ticks) {
      double y = f.y(a, tk[0]);
      String label =
          axis.kind().equals("category") ? axis.categories().get((int) tk[0]) : tick(tk[0]);
      g.setColor(new Color(0x4A5568));
      g.draw(new java.awt.geom.Line2D.Double(x - 4, y, x, y));
      g.drawString(label, (float) (x - 6 - fm.stringWidth(label)), (float) y + 4);
    }
  }

  /** Where the parallel coordinates' axes stand and how a value maps onto its axis. */
  private record ParallelFrame(
      List<Axis> axes, double[][] ranges, double left, double right, double top, double bottom) {
    double step() {
      int n = axes.size();
      return n > 1 ? (right - left) / (n - 1) : 0;
    }

    double x(int a) {
      return left + a * step();
    }

    double y(int a, double value) {
      return bottom - frac(value, ranges[a], axes.get(a).kind().equals("log")) * (bottom - top);
    }

    /** One row's line, broken where it has no value. */
    Path2D path(double[] line) {
      Path2D path = new Path2D.Double();
      boolean pen = false;
      for (int a = 0; a < axes.size(); a++) {
        if (Double.isNaN(line[a])) {
          pen = false;
          continue;
        }
        double y = y(a, line[a]);
        if (pen) {
          path.lineTo(x(a), y);
        } else {
          path.moveTo(x(a), y);
          pen = true;
        }
      }
      return path;
    }
  }

  // ---- one x/y panel ------------------------------------------------------------------------

  private static void panel(Graphics2D g, Rectangle2D.Double box, Panel p) {
    g.setColor(new Color(0xE3E8EF));
    g.draw(box);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.setColor(TEXT);
    g.drawString(p.title(), (float) box.x + 10, (float) box.y + 20);
    List<Series> legend = p.series().stream().filter(s -> s.name() != null).toList();
    int legendRows = legendRows(g, legend, box.width - 20);
    double left = box.x + 66;
    double right = box.x + box.width - 18;
    double top = box.y + 34 + 18 * legendRows;
    double bottom = box.y + box.height - 44;
    boolean category = p.categories() != null;
    double[] xs =
        p.series().stream().flatMap(s -> s.points().stream()).mapToDouble(q -> q[0]).toArray();
    double[] ys =
        p.series().stream().flatMap(s -> s.points().stream()).mapToDouble(q -> q[1]).toArray();
    double[] xr =
        category ? new double[] {-0.5, p.categories().size() - 0.5} : range(xs, p.logX(), 0.06);
    double[] yr = range(ys, false, 0.08);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics fm = g.getFontMetrics();
    // grid and ticks
    for (double v : ticks(yr, false, 6)) {
      double y = bottom - frac(v, yr, false) * (bottom - top);
      g.setColor(GRID);
      g.draw(new java.awt.geom.Line2D.Double(left, y, right, y));
      g.setColor(new Color(0x4A5568));
      String s = tick(v);
      g.drawString(s, (float) (left - 6 - fm.stringWidth(s)), (float) y + 4);
    }
    if (category) {
      for (int c = 0; c < p.categories().size(); c++) {
        double x = left + frac(c, xr, false) * (right - left);
        String s = p.categories().get(c);
        g.setColor(new Color(0x4A5568));
        g.drawString(s, (float) (x - fm.stringWidth(s) / 2.0), (float) bottom + 16);
      }
    } else {
      // epochs are whole numbers, as the dashboard's minInterval: 1
      double minStep = p.xLabel().equals("epoch") ? 1 : 0;
      for (double v : ticks(xr, p.logX(), 7, minStep)) {
        double x = left + frac(v, xr, p.logX()) * (right - left);
        g.setColor(GRID);
        g.draw(new java.awt.geom.Line2D.Double(x, top, x, bottom));
        g.setColor(new Color(0x4A5568));
        String s = tick(v);
        g.drawString(s, (float) (x - fm.stringWidth(s) / 2.0), (float) bottom + 16);
      }
    }
    g.setColor(AXIS);
    g.draw(new java.awt.geom.Line2D.Double(left, bottom, right, bottom));
    g.draw(new java.awt.geom.Line2D.Double(left, top, left, bottom));
    g.setColor(new Color(0x4A5568));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    fm = g.getFontMetrics();
    g.drawString(
        p.xLabel(), (float) ((left + right - fm.stringWidth(p.xLabel())) / 2), (float) bottom + 34);
    Graphics2D r = (Graphics2D) g.create();
    r.rotate(-Math.PI / 2);
    r.drawString(
        p.yLabel(),
        (float) (-(top + bottom) / 2 - fm.stringWidth(p.yLabel()) / 2.0),
        (float) box.x + 16);
    r.dispose();
    // series, in order (later ones on top)
    Shape clip = g.getClip();
    g.clip(new Rectangle2D.Double(left - 8, top - 8, right - left + 16, bottom - top + 16));
    for (Series s : p.series()) {
      List<double[]> pts = new ArrayList<>();
      for (double[] q : s.points()) {
        pts.add(
            new double[] {
              left + frac(q[0], xr, p.logX() && !category) * (right - left),
              bottom - frac(q[1], yr, false) * (bottom - top)
            });
      }
      draw(g, s, pts);
    }
    g.setClip(clip);
    legend(g, legend, box.x + 10, box.y + 30, box.width - 20);
  }

  private static void draw(Graphics2D g, Series s, List<double[]> pts) {
    g.setColor(s.color());
    switch (s.style()) {
      case LINE, DOTTED, STAIRS -> {
        if (pts.isEmpty()) {
          return;
        }
        List<double[]> sorted = new ArrayList<>(pts);
        if (s.style() == Style.STAIRS) {
          sorted.sort((a, b) -> Double.compare(a[0], b[0]));
          g.setStroke(
              new BasicStroke(
                  1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        } else if (s.style() == Style.DOTTED) {
          g.setStroke(
              new BasicStroke(
                  1.6f,
                  BasicStroke.CAP_ROUND,
                  BasicStroke.JOIN_ROUND,
                  10,
                  new float[] {1.5f, 4},
                  0));
        } else {
          g.setStroke(new BasicStroke(2f));
        }
        Path2D path = new Path2D.Double();
        path.moveTo(sorted.get(0)[0], sorted.get(0)[1]);
        for (int i = 1; i < sorted.size(); i++) {
          if (s.style() == Style.STAIRS) {
            path.lineTo(sorted.get(i)[0], sorted.get(i - 1)[1]);
          }
          path.lineTo(sorted.get(i)[0], sorted.get(i)[1]);
        }
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
        if (s.style() != Style.STAIRS) {
          for (double[] q : pts) {
            g.fill(new Ellipse2D.Double(q[0] - 2.5, q[1] - 2.5, 5, 5));
          }
        }
      }
      case DOTS -> pts.forEach(q -> g.fill(new Ellipse2D.Double(q[0] - 4.5, q[1] - 4.5, 9, 9)));
      case HOLLOW -> {
        g.setStroke(new BasicStroke(1.5f));
        pts.forEach(q -> g.draw(new Ellipse2D.Double(q[0] - 4.5, q[1] - 4.5, 9, 9)));
        g.setStroke(new BasicStroke(1f));
      }
      case DIAMONDS -> {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        for (int i = 0; i < pts.size(); i++) {
          double[] q = pts.get(i);
          g.setColor(s.color());
          g.fill(diamond(q[0], q[1], 7.5));
          g.setColor(Color.WHITE);
          g.draw(diamond(q[0], q[1], 7.5));
          String label = s.labels() == null ? null : s.labels().get(i);
          if (label != null) {
            g.setColor(s.color());
            g.drawString(label, (float) q[0] - 8, (float) q[1] - 11);
          }
        }
      }
    }
  }

  private static Shape diamond(double x, double y, double r) {
    Path2D d = new Path2D.Double();
    d.moveTo(x, y - r);
    d.lineTo(x + r * 0.8, y);
    d.lineTo(x, y + r);
    d.lineTo(x - r * 0.8, y);
    d.closePath();
    return d;
  }

  private static int legendRows(Graphics2D g, List<Series> legend, double width) {
    if (legend.isEmpty()) {
      return 0;
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics fm = g.getFontMetrics();
    int rows = 1;
    double x = 0;
    for (Series s : legend) {
      double w = 26 + fm.stringWidth(s.name());
      if (x + w > width && x > 0) {
        rows++;
        x = 0;
      }
      x += w;
    }
    return Math.min(rows, 4);
  }

  private static void legend(
      Graphics2D g, List<Series> legend, double x0, double y0, double width) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics fm = g.getFontMetrics();
    double x = x0;
    double y = y0;
    List<String> seen = new ArrayList<>();
    for (Series s : legend) {
      if (seen.contains(s.name())) {
        continue; // a study's front and its staircase share one entry, as in ECharts
      }
      seen.add(s.name());
      double w = 26 + fm.stringWidth(s.name());
      if (x + w > x0 + width && x > x0) {
        x = x0;
        y += 18;
        if (y > y0 + 18 * 3) {
          return;
        }
      }
      g.setColor(s.color());
      if (s.style() == Style.HOLLOW) {
        g.draw(new Ellipse2D.Double(x, y + 2, 9, 9));
      } else if (s.style() == Style.DIAMONDS) {
        g.fill(diamond(x + 5, y + 7, 6));
      } else {
        g.fill(new Rectangle2D.Double(x, y + 3, 14, 7));
      }
      g.setColor(new Color(0x4A5568));
      g.drawString(s.name(), (float) x + 18, (float) y + 11);
      x += w;
    }
  }

  // ---- scales ---------------------------------------------------------------------------------

  private static double[] range(double[] v, boolean log, double pad) {
    double lo = java.util.Arrays.stream(v).filter(Double::isFinite).min().orElse(0);
    double hi = java.util.Arrays.stream(v).filter(Double::isFinite).max().orElse(1);
    if (log) {
      lo = Math.log10(lo);
      hi = Math.log10(hi);
    }
    if (hi - lo < 1e-12) {
      lo -= log ? 0.5 : Math.max(0.5, Math.abs(lo) * 0.1);
      hi += log ? 0.5 : Math.max(0.5, Math.abs(hi) * 0.1);
    }
    double p = (hi - lo) * pad;
    return new double[] {lo - p, hi + p};
  }

  /** Where {@code v} is in {@code r} (r in log10 units when {@code log}), 0 to 1. */
  private static double frac(double v, double[] r, boolean log) {
    double x = log ? Math.log10(v) : v;
    return (x - r[0]) / (r[1] - r[0]);
  }

  private static List<Double> ticks(double[] r, boolean log, int wanted) {
    return ticks(r, log, wanted, 0);
  }

  private static List<Double> ticks(double[] r, boolean log, int wanted, double minStep) {
    List<Double> out = new ArrayList<>();
    if (log) {
      for (int e = (int) Math.floor(r[0]); e <= Math.ceil(r[1]); e++) {
        for (int m : r[1] - r[0] > 2.5 ? new int[] {1} : new int[] {1, 2, 5}) {
          double v = m * Math.pow(10, e);
          if (Math.log10(v) >= r[0] && Math.log10(v) <= r[1]) {
            out.add(v);
          }
        }
      }
      return out;
    }
    double raw = (r[1] - r[0]) / wanted;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step =
        Math.max(
            minStep,
            raw / mag < 1.5 ? mag : raw / mag < 3 ? 2 * mag : raw / mag < 7 ? 5 * mag : 10 * mag);
    for (double v = Math.ceil(r[0] / step) * step; v <= r[1] + 1e-12; v += step) {
      out.add(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return out;
  }

  private static String tick(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e5)) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    String s = String.format(Locale.ROOT, "%.4f", v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  // ---- colours and canvas ---------------------------------------------------------------------

  private static Color ramp(double t) {
    t = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
    int i = Math.min(RAMP.length - 2, (int) Math.floor(t));
    double f = t - i;
    Color a = RAMP[i];
    Color b = RAMP[i + 1];
    return new Color(
        (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * f),
        (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * f),
        (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * f));
  }

  private static Color withAlpha(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  private static Color[] hex(String... codes) {
    Color[] out = new Color[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = Color.decode(codes[i]);
    }
    return out;
  }

  private static Graphics2D start(BufferedImage image, String title) {
    System.setProperty("java.awt.headless", "true");
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    g.setColor(TEXT);
    g.drawString(title, 16, 28);
    return g;
  }

  private static void finish(Graphics2D g, BufferedImage image, Path file) throws IOException {
    g.dispose();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageIO.write(image, "png", file.toFile());
  }
}
