package io.sharpsweep.worker.engine;

/**
 * Worker-level settings of the trainer.
 *
 * @param workerId written into every report
 * @param evalBatchSize batch size of validation and test evaluation
 * @param pruneIntermediateCheckpoints after a segment, delete the tensors of its epochs before the
 *     last (their state and reports stay), since only a segment's last checkpoint is resumed from
 */
public record TrainerSettings(
    String workerId, int evalBatchSize, boolean pruneIntermediateCheckpoints) {
  public TrainerSettings {
    if (workerId == null || workerId.isBlank()) {
      throw new IllegalArgumentException("worker id must not be empty");
    }
    if (evalBatchSize <= 0) {
      throw new IllegalArgumentException("eval batch size must be > 0, got " + evalBatchSize);
    }
  }
}
