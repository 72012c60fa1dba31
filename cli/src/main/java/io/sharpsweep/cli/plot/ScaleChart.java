package io.sharpsweep.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Figures against the fleet size for {@code bench-scale}: panels side by side, N on a log-2 axis,
 * one line per series; a panel may use a log-10 y axis (latencies). Rendered headless with Java2D
 * in the style of {@link ParetoChart}.
 */
public final class ScaleChart {
  /** One line: its name and its value at each N (NaN leaves a gap). */
  public record Series(String name, double[] values) {}

  /** One panel: a title, a y label, whether y is logarithmic, its lines. */
  public record Panel(String title, String yName, boolean logY, List<Series> series) {}

  private static final int PANEL_W = 560;
  private static final int HEIGHT = 480;
  private static final int LEFT = 80;
  private static final int RIGHT = 20;
  private static final int TOP = 70;
  private static final int BOTTOM = 60;
  private static final Color[] COLORS = {
    new Color(0x1F77B4),
    new Color(0xD62728),
    new Color(0x2CA02C),
    new Color(0xFF7F0E),
    new Color(0x9467BD),
    new Color(0x8C564B)
  };

  private ScaleChart() {}

  public static void write(Path file, String title, int[] workers, List<Panel> panels)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    int width = PANEL_W * panels.size();
    BufferedImage image = new BufferedImage(width, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, HEIGHT);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    g.setColor(new Color(0x222222));
    g.drawString(title, LEFT, 26);
    for (int p = 0; p < panels.size(); p++) {
      panel(g, p * PANEL_W, workers, panels.get(p));
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static void panel(Graphics2D g, int x0, int[] workers, Panel panel) {
    Axes a = Axes.of(x0, workers, panel);
    grid(g, a, workers, panel);
    for (int s = 0; s < panel.series().size(); s++) {
      line(g, a, workers, panel.logY(), s, panel.series().get(s));
    }
  }

  /**
   * One panel's frame: its left edge {@code x0}, the plot's left edge and size in pixels, and the x
   * (log-2 N) and y (log-10 if the panel's is) ranges.
   */
  private record Axes(
      int x0, int left, int plotW, int plotH, double xlo, double xhi, double ylo, double yhi) {
    static Axes of(int x0, int[] workers, Panel panel) {
      double xlo = log2(workers[0]);
      double xhi = log2(workers[workers.length - 1]);
      if (xhi - xlo < 1e-9) {
        xlo -= 1;
        xhi += 1;
      }
      double[] y = yRange(panel);
      return new Axes(
          x0, x0 + LEFT, PANEL_W - LEFT - RIGHT, HEIGHT - TOP - BOTTOM, xlo, xhi, y[0], y[1]);
    }

    double px(int n) {
      return left + (log2(n) - xlo) / (xhi - xlo) * plotW;
    }

    double py(double y) {
      return TOP + plotH - (y - ylo) / (yhi - ylo) * plotH;
    }
  }

  /** The y range over every finite (and, on a log axis, positive) value, rounded out. */
  private static double[] yRange(Panel panel) {
    double ylo = Double.POSITIVE_INFINITY;
    double yhi = Double.NEGATIVE_INFINITY;
    for (Series s : panel.series()) {
      for (double v : s.values()) {
        if (Double.isFinite(v) && (!panel.logY() || v > 0)) {
          double y = panel.logY() ? Math.log10(v) : v;
          ylo = Math.min(ylo, y);
          yhi = Math.max(yhi, y);
        }
      }
    }
    if (!Double.isFinite(ylo)) {
      ylo = 0;
      yhi = 1;
    }
    if (panel.logY()) {
      ylo = Math.floor(ylo);
      yhi = Math.max(ylo + 1, Math.ceil(yhi));
    } else {
      ylo = Math.min(0, ylo);
      double pad = Math.max(1e-9, (yhi - ylo) * 0.08);
      yhi += pad;
    }
    return new double[] {ylo, yhi};
  }

  /** The panel's title, grid lines, ticks, border and axis names. */
  private static void grid(Graphics2D g, Axes a, int[] workers, Panel panel) {
    int left = a.left();
    int plotW = a.plotW();
    int plotH = a.plotH();
    double ylo = a.ylo();
    double yhi = a.yhi();
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.setColor(new Color(0x222222));
    g.drawString(panel.title(), left, 50);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    for (int n : workers) {
      int px = (int) Math.round(a.px(n));
      g.setColor(new Color(0xE6E6E6));
      g.drawLine(px, TOP, px, TOP + plotH);
      g.setColor(new Color(0x444444));
      String xs = String.valueOf(n);
      g.drawString(xs, px - fm.stringWidth(xs) / 2, TOP + plotH + 18);
    }
    int ticks = panel.logY() ? (int) Math.round(yhi - ylo) : 5;
    for (int i = 0; i <= ticks; i++) {
      double yv = ylo + (yhi - ylo) * i / ticks;
      int py = (int) Math.round(TOP + plotH - plotH * (double) i / ticks);
      g.setColor(new Color(0xE6E6E6));
      g.drawLine(left, py, left + plotW, py);
      g.setColor(new Color(0x444444));
      String ys = panel.logY() ? tick(Math.pow(10, yv)) : tick(yv);
      g.drawString(ys, left - 8 - fm.stringWidth(ys), py + 4);
    }
    g.drawRect(left, TOP, plotW, plotH);
    String xl = "workers N (log scale)";
    g.drawString(xl, left + plotW / 2 - fm.stringWidth(xl) / 2, HEIGHT - 22);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString(
        panel.yName(), -(TOP + plotH / 2) - fm.stringWidth(panel.yName()) / 2, a.x0() + 20);
    rotated.dispose();
  }

  /** Series {@code s}: its line with a dot at each value, and its legend entry. */
  private static void line(
      Graphics2D g, Axes a, int[] workers, boolean logY, int s, Series series) {
    int legendY = TOP + 16 + 16 * s;
    Color c = COLORS[s % COLORS.length];
    g.setColor(c);
    g.setStroke(new BasicStroke(2f));
    Path2D line = new Path2D.Double();
    boolean started = false;
    for (int i = 0; i < workers.length && i < series.values().length; i++) {
      double v = series.values()[i];
      if (!Double.isFinite(v) || (logY && v <= 0)) {
        started = false;
        continue;
      }
      double y = logY ? Math.log10(v) : v;
      double px = a.px(workers[i]);
      double py = a.py(y);
      if (started) {
        line.lineTo(px, py);
      } else {
        line.moveTo(px, py);
        started = true;
      }
      g.fill(new Ellipse2D.Double(px - 4, py - 4, 8, 8));
    }
    g.draw(line);
    g.fillRect(a.left() + 10, legendY - 8, 14, 4);
    g.setColor(new Color(0x333333));
    g.drawString(series.name(), a.left() + 30, legendY - 3);
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  private static String tick(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e5)) {
      return String.format(Locale.ROOT, "%.0e", v);
    }
    if (a >= 10 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, a < 1 ? "%.3f" : "%.2f", v);
  }
}
