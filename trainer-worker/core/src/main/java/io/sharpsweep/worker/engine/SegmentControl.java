package io.sharpsweep.worker.engine;

/**
 * Lets whoever owns a segment stop it early (a lost lease, a shutdown). The trainer asks before
 * every batch, before every epoch and before writing a checkpoint; once it answers true the trainer
 * throws {@link SegmentStoppedException} at that boundary, so a partly trained epoch leaves no
 * checkpoint and no report. Called on the training thread, often: it must be cheap.
 */
@FunctionalInterface
public interface SegmentControl {
  SegmentControl NONE = () -> false;

  boolean stopRequested();
}
