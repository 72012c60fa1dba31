package io.sharpsweep.protocol.messages;

import io.sharpsweep.protocol.study.DatasetSpec;
import java.util.Map;

/**
 * "Train trial {@code trialId} from epoch {@code fromEpoch} (exclusive: the epochs already done) to
 * epoch {@code toEpoch} (inclusive), starting from {@code checkpointUri} when {@code fromEpoch >
 * 0}." Epochs are numbered from 1. {@code maxEpochs} is the trial's full length (learning-rate
 * schedules and AE-SAM's T are planned for it, so a trial trained in segments equals one trained
 * straight).
 */
public record SegmentAssignment(
    int schemaVersion,
    String studyId,
    String trialId,
    int attempt,
    Map<String, Object> config,
    int fromEpoch,
    int toEpoch,
    int maxEpochs,
    String checkpointUri,
    DatasetSpec dataset,
    String model,
    long seed) {

  /** A segment key: the same segment delivered twice has the same key. */
  public String segmentKey() {
    return trialId + "#" + attempt + "#" + fromEpoch + "-" + toEpoch;
  }
}
