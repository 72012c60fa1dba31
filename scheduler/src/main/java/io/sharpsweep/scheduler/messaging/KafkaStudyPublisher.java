package io.sharpsweep.scheduler.messaging;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.messages.StudyEvent;
import io.sharpsweep.scheduler.study.StudyPublisher;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes study events (keyed by studyId) and assignments (keyed by trialId, on the partition of
 * the segment's worker slot, see {@link WorkerSlots}), waiting for the broker's ack.
 */
@ApplicationScoped
public class KafkaStudyPublisher implements StudyPublisher {
  @Inject
  @Channel("studies-out")
  MutinyEmitter<Record<String, byte[]>> studies;

  @Inject
  @Channel("assignments-out")
  MutinyEmitter<byte[]> assignments;

  @Inject KafkaClientService kafka;

  private final WorkerSlots slots = new WorkerSlots();
  private volatile int partitions;

  @Override
  public void publish(StudyEvent event) {
    studies.sendAndAwait(Record.of(event.studyId(), Json.encode(event)));
  }

  @Override
  public void publish(SegmentAssignment assignment) {
    int partition = slots.slotOf(assignment.trialId()) % partitions();
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withKey(assignment.trialId())
            .withPartition(partition)
            .build();
    assignments.sendMessageAndAwait(Message.of(Json.encode(assignment)).addMetadata(metadata));
  }

  @Override
  public void released(String trialId) {
    slots.release(trialId);
  }

  /** Segments placed on worker slots now. */
  public int segmentsInFlight() {
    return slots.inFlight();
  }

  /**
   * The assignments topic's partition count, asked of the broker once (the topic is created with
   * it).
   */
  private int partitions() {
    if (partitions == 0) {
      partitions =
          Math.max(
              1,
              kafka
                  .getProducer("assignments-out")
                  .partitionsFor(Topics.ASSIGNMENTS)
                  .await()
                  .atMost(Duration.ofSeconds(30))
                  .size());
    }
    return partitions;
  }
}
