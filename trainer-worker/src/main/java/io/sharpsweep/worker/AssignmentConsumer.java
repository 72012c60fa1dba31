package io.sharpsweep.worker;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.worker.engine.AssignmentValidator;
import io.sharpsweep.worker.engine.InvalidAssignmentException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code sharpsweep.assignments} (group {@code sharpsweep-workers}). A record that is not
 * a valid assignment is nacked, which routes it to {@code sharpsweep.dead-letter}, and consumption
 * goes on. A valid one is trained on a worker thread, one at a time, while the connector keeps
 * polling; it is acknowledged (and so committed) only after its last report was acknowledged by the
 * broker.
 */
@ApplicationScoped
public class AssignmentConsumer {
  private static final Logger LOG = Logger.getLogger(AssignmentConsumer.class);

  private final TrainingService training;

  @Inject
  public AssignmentConsumer(TrainingService training) {
    this.training = training;
  }

  @Incoming("assignments")
  @Blocking(ordered = true)
  public CompletionStage<Void> consume(Message<byte[]> message) {
    SegmentAssignment assignment;
    try {
      assignment = Json.decode(message.getPayload(), SegmentAssignment.class);
      AssignmentValidator.validate(assignment);
    } catch (MalformedRecordException | InvalidAssignmentException e) {
      LOG.warnf("assignment record sent to the dead-letter topic: %s", e.getMessage());
      return message.nack(e);
    }
    try {
      training.process(assignment);
    } catch (ReportPublishException e) {
      LOG.errorf("segment %s: %s", assignment.segmentKey(), e.getMessage());
      return message.nack(e);
    }
    return message.ack();
  }
}
