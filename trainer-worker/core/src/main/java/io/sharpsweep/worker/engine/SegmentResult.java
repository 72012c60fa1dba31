package io.sharpsweep.worker.engine;

import io.sharpsweep.protocol.messages.EpochReport;
import java.util.List;

/**
 * The reports of a segment, in epoch order, and how many epochs were trained now versus re-sent.
 */
public record SegmentResult(List<EpochReport> reports, int epochsTrained, int epochsReplayed) {
  public EpochReport last() {
    return reports.get(reports.size() - 1);
  }
}
