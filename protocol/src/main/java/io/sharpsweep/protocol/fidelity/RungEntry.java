package io.sharpsweep.protocol.fidelity;

import java.util.Arrays;

/**
 * One trial's standing at one rung: its result (objectives in minimisation form, NaN where the
 * metric was missing or not finite) or a permanent failure on the way to the rung, and whether it
 * has been promoted from there. {@code seq} is the arrival order (the store's row id): earlier
 * results win ties.
 */
public final class RungEntry {
  private final String trialId;
  private final int bracket;
  private final int rung;
  private final long seq;
  private final int attempt;
  private final double[] objectives;
  private final boolean failed;
  private boolean promoted;

  public RungEntry(
      String trialId,
      int bracket,
      int rung,
      long seq,
      int attempt,
      double[] objectives,
      boolean failed,
      boolean promoted) {
    this.trialId = trialId;
    this.bracket = bracket;
    this.rung = rung;
    this.seq = seq;
    this.attempt = attempt;
    this.objectives = objectives == null ? new double[0] : objectives.clone();
    this.failed = failed;
    this.promoted = promoted;
  }

  /** A result that arrived at {@code rung}. */
  public static RungEntry result(
      String trialId, int bracket, int rung, long seq, int attempt, double... objectives) {
    return new RungEntry(trialId, bracket, rung, seq, attempt, objectives, false, false);
  }

  /**
   * A trial that failed for good on its way to {@code rung}: it counts as arrived but never ranks.
   */
  public static RungEntry failure(String trialId, int bracket, int rung, long seq, int attempt) {
    return new RungEntry(trialId, bracket, rung, seq, attempt, null, true, false);
  }

  public String trialId() {
    return trialId;
  }

  public int bracket() {
    return bracket;
  }

  public int rung() {
    return rung;
  }

  public long seq() {
    return seq;
  }

  public int attempt() {
    return attempt;
  }

  /** Objective {@code i} in minimisation form; NaN when it is missing. */
  public double objective(int i) {
    return i < objectives.length ? objectives[i] : Double.NaN;
  }

  public double[] objectives() {
    return objectives.clone();
  }

  /** Whether every objective is a finite number (a result that can be ranked on merit). */
  public boolean finite() {
    if (failed || objectives.length == 0) {
      return false;
    }
    for (double v : objectives) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  public boolean failed() {
    return failed;
  }

  public boolean promoted() {
    return promoted;
  }

  void markPromoted() {
    promoted = true;
  }

  @Override
  public String toString() {
    return trialId
        + "@"
        + rung
        + (failed ? " failed" : " " + Arrays.toString(objectives))
        + (promoted ? " promoted" : "");
  }
}
