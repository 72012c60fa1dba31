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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A scatter of every trial (cost on x, quality on y) with the Pareto front drawn as a staircase and
 * its points highlighted, rendered headless with Java2D to a PNG.
 */
public final class ParetoChart {
  /** One trial: its coordinates, whether it is on the front, and a short label. */
  public record Point(double x, double y, boolean onFront, String label) {}

  private static final int WIDTH = 900;
  private static final int HEIGHT = 600;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 60;
  private static final int BOTTOM = 70;

  private ParetoChart() {}

  /**
   * @param xMaximize whether larger x is better (usually false: x is a cost)
   * @param yMaximize whether larger y is better (usually true: y is an accuracy)
   */
  public static void write(
      Path file,
      String title,
      String xName,
      boolean xMaximize,
      String yName,
      boolean yMaximize,
      List<Point> points)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image);
    Frame f =
        new Frame(
            range(points.stream().mapToDouble(Point::x).toArray()),
            range(points.stream().mapToDouble(Point::y).toArray()),
            WIDTH - LEFT - RIGHT,
            HEIGHT - TOP - BOTTOM);
    grid(g, title, f);
    axisNames(g, f, xName + better(xMaximize), yName + better(yMaximize));
    List<Point> front =
        points.stream()
            .filter(Point::onFront)
            .sorted(Comparator.comparingDouble(Point::x))
            .toList();
    if (front.size() > 1) {
      staircase(g, f, front);
    }
    points(g, f, points);
    legend(g, front.size());
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  /** The data ranges (padded) and the plot area's size in pixels. */
  private record Frame(double[] xr, double[] yr, int plotW, int plotH) {}

  private static String better(boolean maximize) {
    return maximize ? " (higher is better)" : " (lower is better)";
  }

  private static Graphics2D canvas(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    return g;
  }

  /** The title, the grid lines and the ticks on both axes. */
  private static void grid(Graphics2D g, String title, Frame f) {
    double[] xr = f.xr();
    double[] yr = f.yr();
    int plotW = f.plotW();
    int plotH = f.plotH();
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.setColor(new Color(0x222222));
    g.drawString(title, LEFT, 28);

    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i <= 5; i++) {
      double xv = xr[0] + (xr[1] - xr[0]) * i / 5;
      int px = LEFT + plotW * i / 5;
      double yv = yr[0] + (yr[1] - yr[0]) * i / 5;
      int py = TOP + plotH - plotH * i / 5;
      g.setColor(new Color(0xE6E6E6));
      g.drawLine(px, TOP, px, TOP + plotH);
      g.drawLine(LEFT, py, LEFT + plotW, py);
      g.setColor(new Color(0x444444));
      String xs = tick(xv);
      g.drawString(xs, px - fm.stringWidth(xs) / 2, TOP + plotH + 18);
      String ys = tick(yv);
      g.drawString(ys, LEFT - 8 - fm.stringWidth(ys), py + 4);
    }
  }

  /** The plot's border and the axes' names, the y name rotated. */
  private static void axisNames(Graphics2D g, Frame f, String xl, String yl) {
    int plotW = f.plotW();
    int plotH = f.plotH();
    g.setColor(new Color(0x444444));
    g.drawRect(LEFT, TOP, plotW, plotH);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    g.drawString(xl, LEFT + plotW / 2 - g.getFontMetrics().stringWidth(xl) / 2, HEIGHT - 22);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString(yl, -(TOP + plotH / 2) - rotated.getFontMetrics().stringWidth(yl) / 2, 24);
    rotated.dispose();
  }

  /** The attainment staircase: from each front point, hold its quality until the next one. */
  private static void staircase(Graphics2D g, Frame f, List<Point> front) {
    Path2D stairs = new Path2D.Double();
    for (int i = 0; i < front.size(); i++) {
      double px = sx(front.get(i).x(), f.xr(), f.plotW());
      double py = sy(front.get(i).y(), f.yr(), f.plotH());
      if (i == 0) {
        stairs.moveTo(px, py);
      } else {
        stairs.lineTo(px, sy(front.get(i - 1).y(), f.yr(), f.plotH()));
        stairs.lineTo(px, py);
      }
    }
    g.setColor(new Color(0xD62728));
    g.setStroke(new BasicStroke(2f));
    g.draw(stairs);
  }

  /** Every trial as a dot, the front's larger and labelled. */
  private static void points(Graphics2D g, Frame f, List<Point> points) {
    for (Point p : points) {
      double px = sx(p.x(), f.xr(), f.plotW());
      double py = sy(p.y(), f.yr(), f.plotH());
      double r = p.onFront() ? 6 : 4;
      g.setColor(p.onFront() ? new Color(0xD62728) : new Color(0x1F77B4));
      g.fill(new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r));
      if (p.onFront() && p.label() != null) {
        g.setColor(new Color(0x222222));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(p.label(), (float) px + 8, (float) py - 6);
      }
    }
  }

  private static void legend(Graphics2D g, int frontSize) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(new Color(0x1F77B4));
    g.fillOval(WIDTH - RIGHT - 210, 41, 9, 9);
    g.setColor(new Color(0x444444));
    g.drawString("trial", WIDTH - RIGHT - 196, 50);
    g.setColor(new Color(0xD62728));
    g.fillOval(WIDTH - RIGHT - 140, 40, 11, 11);
    g.setColor(new Color(0x444444));
    g.drawString("Pareto front (" + frontSize + ")", WIDTH - RIGHT - 124, 50);
  }

  private static double sx(double x, double[] r, int w) {
    return LEFT + (x - r[0]) / (r[1] - r[0]) * w;
  }

  private static double sy(double y, double[] r, int h) {
    return TOP + h - (y - r[0]) / (r[1] - r[0]) * h;
  }

  private static double[] range(double[] v) {
    double lo = java.util.Arrays.stream(v).min().orElse(0);
    double hi = java.util.Arrays.stream(v).max().orElse(1);
    if (hi - lo < 1e-12) {
      lo -= 0.5;
      hi += 0.5;
    }
    double pad = (hi - lo) * 0.06;
    return new double[] {lo - pad, hi + pad};
  }

  private static String tick(double v) {
    double a = Math.abs(v);
    return a != 0 && (a < 1e-3 || a >= 1e5)
        ? String.format(Locale.ROOT, "%.1e", v)
        : String.format(Locale.ROOT, a < 1 ? "%.3f" : "%.2f", v);
  }
}
