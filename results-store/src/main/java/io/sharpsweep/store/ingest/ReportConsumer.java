package io.sharpsweep.store.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.sharpsweep.protocol.messages.TrialFailed;
import io.sharpsweep.store.service.LeaseSignal;
import io.sharpsweep.store.service.Wakeups;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code sharpsweep.reports}. A record that cannot be decoded, breaks a rule ({@link
 * RecordValidator}) or does not fit the known state ({@link UnknownRecordException}) throws, which
 * nacks it: the channel's {@link DeadLetterStrategy} copies it to {@code sharpsweep.dead-letter}
 * with the reason and the consumer goes on with the next record. A valid record is retried with
 * backoff until its transaction commits and its decisions are published ({@link Retrying}), so it
 * is acknowledged (and its offset committed) only then. Records are handled one at a time, in
 * partition order.
 */
@ApplicationScoped
public class ReportConsumer {
  private static final Logger LOG = Logger.getLogger(ReportConsumer.class);

  private final ReportIngestion ingestion;
  private final DecisionPublisher publisher;
  private final LeaseSignal signal;
  private final Wakeups wakeups;
  private final Retrying retrying = new Retrying(Duration.ofMillis(200), Duration.ofSeconds(10));
  private final Counter stored;
  private final Counter redelivered;
  private final Counter fenced;

  @Inject
  ReportConsumer(
      ReportIngestion ingestion,
      DecisionPublisher publisher,
      LeaseSignal signal,
      Wakeups wakeups,
      MeterRegistry registry) {
    this.ingestion = ingestion;
    this.publisher = publisher;
    this.signal = signal;
    this.wakeups = wakeups;
    this.stored =
        Counter.builder("sharpsweep.reports.ingested")
            .tag("outcome", "stored")
            .description("reports written to the database")
            .register(registry);
    this.redelivered =
        Counter.builder("sharpsweep.reports.ingested")
            .tag("outcome", "duplicate")
            .description("redelivered reports acknowledged without change")
            .register(registry);
    this.fenced =
        Counter.builder("sharpsweep.reports.ingested")
            .tag("outcome", "fenced")
            .description("reports of an ended lease dropped: another lease trains their epochs")
            .register(registry);
  }

  @Incoming("reports-in")
  @Blocking
  public void consume(byte[] payload) {
    ReportMessage message = RecordValidator.requireValid(Json.decode(payload, ReportMessage.class));
    String what =
        "ingesting " + message.getClass().getSimpleName() + " of trial " + message.trialId();
    Ingested ingested = retrying.run(what, () -> ingest(message));
    switch (ingested.outcome()) {
      case STORED -> stored.increment();
      case DUPLICATE -> redelivered.increment();
      case FENCED -> fenced.increment();
    }
    if (ingested.outcome() == Ingested.Outcome.DUPLICATE) {
      LOG.debugf(
          "redelivered %s of trial %s (attempt %d) acknowledged without change",
          message.getClass().getSimpleName(), message.trialId(), message.attempt());
    }
    if (ingested.effects().enqueued()) {
      signal.wake();
    }
    retrying.run(
        "publishing the decisions of study " + ingested.studyId(),
        () -> {
          publisher.publish(ingested);
          return null;
        });
    if (ingested.effects().freed() && ingested.decisions().isEmpty()) {
      wakeups.studyChanged(ingested.studyId());
    }
  }

  private Ingested ingest(ReportMessage message) {
    return message instanceof EpochReport report
        ? ingestion.ingest(report)
        : ingestion.ingest((TrialFailed) message);
  }
}
