package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.StudyEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code sharpsweep.studies} (the scheduler's study and trial events). Undecodable or
 * invalid records are nacked to the dead-letter topic like on the reports channel.
 */
@ApplicationScoped
public class StudyEventConsumer {
  private final StudyEventIngestion ingestion;
  private final DecisionPublisher publisher;

  @Inject
  StudyEventConsumer(StudyEventIngestion ingestion, DecisionPublisher publisher) {
    this.ingestion = ingestion;
    this.publisher = publisher;
  }

  @Incoming("studies-in")
  @Blocking
  public void consume(byte[] payload) {
    // Decisions taken late (reports that overtook this event) go out before the record is
    // acknowledged.
    publisher.publish(
        ingestion.apply(RecordValidator.requireValid(Json.decode(payload, StudyEvent.class))));
  }
}
