package io.sharpsweep.worker.engine;

import io.sharpsweep.protocol.messages.Cost;

/**
 * A trial's cumulative training cost (docs/sam-variants.md#cost-accounting), carried from segment
 * to segment in the checkpoint. Only training passes count; evaluation does not.
 */
public final class CostCounters {
  private long forwardPasses;
  private long backwardPasses;
  private long examplesBackward;
  private long examplesForwardOnly;
  private long steps;
  private long samSteps;
  private double wallSeconds;

  /** The counters as stored in a checkpoint. */
  public record Totals(
      long forwardPasses,
      long backwardPasses,
      long examplesBackward,
      long examplesForwardOnly,
      long steps,
      long samSteps,
      double wallSeconds) {}

  public static CostCounters from(Totals t) {
    CostCounters c = new CostCounters();
    c.forwardPasses = t.forwardPasses();
    c.backwardPasses = t.backwardPasses();
    c.examplesBackward = t.examplesBackward();
    c.examplesForwardOnly = t.examplesForwardOnly();
    c.steps = t.steps();
    c.samSteps = t.samSteps();
    c.wallSeconds = t.wallSeconds();
    return c;
  }

  public Totals totals() {
    return new Totals(
        forwardPasses,
        backwardPasses,
        examplesBackward,
        examplesForwardOnly,
        steps,
        samSteps,
        wallSeconds);
  }

  /** A forward pass whose graph is back-propagated, and that backward pass. */
  void forwardBackward(int examples) {
    forwardPasses++;
    backwardPasses++;
    examplesBackward += examples;
  }

  /**
   * A forward pass without backward (e.g. ESAM's selection forward); costs a third of a gradient
   * evaluation.
   */
  void forwardOnly(int examples) {
    forwardPasses++;
    examplesForwardOnly += examples;
  }

  void step(boolean sam) {
    steps++;
    if (sam) {
      samSteps++;
    }
  }

  void addWallSeconds(double seconds) {
    wallSeconds += seconds;
  }

  public long steps() {
    return steps;
  }

  public long examplesBackward() {
    return examplesBackward;
  }

  /** The protocol's cost record; {@code trainSize} is the training split's size (one SGD epoch). */
  public Cost toCost(int trainSize) {
    double equivalents = (examplesBackward + examplesForwardOnly / 3.0) / trainSize;
    double samFraction = steps == 0 ? 0.0 : (double) samSteps / steps;
    return new Cost(
        forwardPasses, backwardPasses, examplesBackward, samFraction, wallSeconds, equivalents);
  }
}
