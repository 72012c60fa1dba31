package io.sharpsweep.cli.commands;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Study progress on the terminal: one redrawn line with a bar on a terminal, a plain line per
 * change otherwise (logs, CI).
 */
final class ProgressView {
  private final PrintStream out;
  private final boolean terminal;
  private String lastPlain = "";

  ProgressView(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  void update(int done, int total, int running, int failed, String best, Duration elapsed) {
    update(done, total, running, failed, best, null, elapsed);
  }

  /**
   * {@code rungs}: the multi-fidelity rungs' occupancy (e.g. "rungs 1ep:9 (3↑) · 3ep:3 (1↑) ·
   * 9ep:1"), or null.
   */
  void update(
      int done, int total, int running, int failed, String best, String rungs, Duration elapsed) {
    String eta = "";
    if (done > 0 && done < total) {
      long remaining = elapsed.toSeconds() * (total - done) / done;
      eta = " · ~" + clock(Duration.ofSeconds(remaining)) + " left";
    }
    String text =
        String.format(
            Locale.ROOT,
            "%d/%d trials · %d running%s%s · best %s · %s%s",
            done,
            total,
            running,
            failed > 0 ? " · " + failed + " failed" : "",
            rungs == null ? "" : " · " + rungs,
            best == null ? "–" : best,
            clock(elapsed),
            eta);
    if (terminal) {
      int width = 24;
      int filled = total == 0 ? 0 : width * done / total;
      out.print("\r\033[2K[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + text);
      out.flush();
    } else {
      String plain =
          String.format(
              Locale.ROOT,
              "%d/%d trials, %d running, %d failed,%s best %s",
              done,
              total,
              running,
              failed,
              rungs == null ? "" : " " + rungs + ",",
              best == null ? "-" : best);
      if (!plain.equals(lastPlain)) {
        out.println("[" + clock(elapsed) + "] " + plain);
        lastPlain = plain;
      }
    }
  }

  void finish() {
    if (terminal) {
      out.println();
    }
  }

  static String clock(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }
}
