package io.sharpsweep.scheduler.messaging;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.messages.StudyEvent;
import io.sharpsweep.scheduler.study.StudyPublisher;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes study events (keyed by studyId) and assignments (keyed by trialId), waiting for the broker's ack. */
@ApplicationScoped
public class KafkaStudyPublisher implements StudyPublisher {
  @Inject
  @Channel("studies-out")
  MutinyEmitter<Record<String, byte[]>> studies;

  @Inject
  @Channel("assignments-out")
  MutinyEmitter<Record<String, byte[]>> assignments;

  @Override
  public void publish(StudyEvent event) {
    studies.sendAndAwait(Record.of(event.studyId(), Json.encode(event)));
  }

  @Override
  public void publish(SegmentAssignment assignment) {
    assignments.sendAndAwait(Record.of(assignment.trialId(), Json.encode(assignment)));
  }
}
