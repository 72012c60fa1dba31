package io.sharpsweep.worker.engine;

import io.sharpsweep.protocol.messages.EpochReport;

/**
 * Receives each epoch's report once its checkpoint is written — and, for epochs a previous delivery
 * of the same segment already finished, the stored report again. An exception stops the segment.
 */
@FunctionalInterface
public interface EpochListener {
  void onEpoch(EpochReport report, EpochStats stats);
}
