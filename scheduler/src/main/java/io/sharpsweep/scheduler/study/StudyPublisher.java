package io.sharpsweep.scheduler.study;

import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.messages.StudyEvent;

/** The scheduler's outgoing records. Each call returns once the broker has acknowledged the record. */
public interface StudyPublisher {
  void publish(StudyEvent event);

  void publish(SegmentAssignment assignment);
}
