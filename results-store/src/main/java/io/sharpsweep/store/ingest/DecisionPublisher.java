package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.DecisionMessage;
import io.sharpsweep.store.query.StudyQueries;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends committed decisions to {@code sharpsweep.decisions} (keyed by study) and waits for the broker's
 * acknowledgement before marking them published; then a {@code StudyProgress}. Called on the consumer's
 * worker thread, so the incoming record is acknowledged only after its decisions are safely out: if the
 * store stops in between, the redelivered record finds the decision unpublished and sends it again.
 */
@ApplicationScoped
public class DecisionPublisher {
  private final MutinyEmitter<byte[]> emitter;
  private final ReportIngestion ingestion;
  private final StudyQueries queries;

  @Inject
  DecisionPublisher(@Channel("decisions-out") MutinyEmitter<byte[]> emitter, ReportIngestion ingestion, StudyQueries queries) {
    this.emitter = emitter;
    this.ingestion = ingestion;
    this.queries = queries;
  }

  public void publish(Ingested ingested) {
    if (ingested.decisions().isEmpty()) {
      return;
    }
    for (PendingDecision d : ingested.decisions()) {
      send(d.decision());
      ingestion.markPublished(d.id());
    }
    send(queries.progress(ingested.studyId()));
  }

  private void send(DecisionMessage message) {
    emitter.sendMessageAndAwait(KafkaRecord.of(message.studyId(), Json.encode(message)));
  }
}
