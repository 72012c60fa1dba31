package io.sharpsweep.scheduler.study;

import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.messages.StudyEvent;

/**
 * The scheduler's outgoing records. Each call returns once the broker has acknowledged the record.
 */
public interface StudyPublisher {
  void publish(StudyEvent event);

  void publish(SegmentAssignment assignment);

  /**
   * The trial's segment has left flight (promoted, parked, complete or finally failed); a publisher
   * that places segments on worker slots frees the trial's slot.
   */
  default void released(String trialId) {}
}
