package io.sharpsweep.store.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sharpsweep.protocol.messages.ReportCodec;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.sharpsweep.service.messaging.DeadLetterStrategy;
import io.sharpsweep.service.messaging.DeadLetterWriter;
import io.sharpsweep.store.StoreConfig;
import io.sharpsweep.store.service.LeaseSignal;
import io.sharpsweep.store.service.Wakeups;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code sharpsweep.reports} in batches (the channel's {@code batch=true}: one poll's
 * records at a time, in partition order). Each record is decoded ({@link ReportCodec}) and checked
 * alone: one that cannot be decoded or breaks a rule ({@link RecordValidator}) is set aside. The
 * valid ones are grouped by study, keeping their order, and each study's records are stored in one
 * transaction per chunk of at most {@code sharpsweep.store.ingest-chunk} ({@link
 * ReportIngestion#ingestBatch}), which also sets aside a record that does not fit the known state
 * ({@link UnknownRecordException}). Every set-aside record is copied alone to {@code
 * sharpsweep.dead-letter}, with the headers of {@link DeadLetterStrategy}, through the channel's
 * own {@link DeadLetterWriter}; the other records of its batch go on. A transient fault (database
 * down, broker unreachable for the decisions) retries the chunk with backoff ({@link Retrying});
 * its decisions are published after its commit, all sent then all awaited, and the study's progress
 * follows through {@link Wakeups}. The batch returns, and is acknowledged (its offsets committed),
 * only once every chunk committed, every decision was published and every dead letter was
 * acknowledged by the broker.
 */
@ApplicationScoped
public class ReportConsumer {
  private static final Logger LOG = Logger.getLogger(ReportConsumer.class);

  static final String CHANNEL = "reports-in";

  private final ReportIngestion ingestion;
  private final DecisionPublisher publisher;
  private final DeadLetterStrategy deadLetters;
  private final LeaseSignal signal;
  private final Wakeups wakeups;
  private final int chunkSize;
  private final Retrying retrying = new Retrying(Duration.ofMillis(200), Duration.ofSeconds(10));
  private final Counter stored;
  private final Counter redelivered;
  private final Counter fenced;
  private final Timer decoding;
  private final Timer storing;
  private final Timer publishing;

  @Inject
  ReportConsumer(
      ReportIngestion ingestion,
      DecisionPublisher publisher,
      @Identifier(DeadLetterStrategy.NAME) DeadLetterStrategy deadLetters,
      LeaseSignal signal,
      Wakeups wakeups,
      MeterRegistry registry,
      StoreConfig config) {
    if (config.ingestChunk() < 1) {
      throw new IllegalArgumentException(
          "sharpsweep.store.ingest-chunk must be at least 1, got " + config.ingestChunk());
    }
    this.chunkSize = config.ingestChunk();
    this.ingestion = ingestion;
    this.publisher = publisher;
    this.deadLetters = deadLetters;
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
    this.decoding = stage(registry, "decode");
    this.storing = stage(registry, "store");
    this.publishing = stage(registry, "publish");
  }

  /**
   * Where the consumer's time goes, a timer per stage: {@code decode} (a poll's records decoded and
   * checked), {@code store} (a chunk's transaction, retries included), {@code publish} (a chunk's
   * decisions sent and acknowledged).
   */
  private static Timer stage(MeterRegistry registry, String stage) {
    return Timer.builder("sharpsweep.ingest.stage")
        .tag("stage", stage)
        .description(
            "the report consumer's time by stage: decode (a poll's records), store (a chunk's"
                + " transaction), publish (a chunk's decisions sent and acknowledged)")
        .register(registry);
  }

  /** A record of the batch and, once decoded and valid, its message. */
  private record Item(ConsumerRecord<String, byte[]> record, ReportMessage message) {}

  @Incoming(CHANNEL)
  @Blocking
  public void consume(ConsumerRecords<String, byte[]> records) {
    List<Item> refused = new ArrayList<>();
    List<Throwable> reasons = new ArrayList<>();
    Map<String, List<Item>> byStudy = new LinkedHashMap<>();
    long decodeStart = System.nanoTime();
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        ReportMessage m = RecordValidator.requireValid(ReportCodec.decode(record.value()));
        byStudy.computeIfAbsent(m.studyId(), k -> new ArrayList<>()).add(new Item(record, m));
      } catch (RuntimeException e) {
        refused.add(new Item(record, null));
        reasons.add(e);
      }
    }
    decoding.record(System.nanoTime() - decodeStart, TimeUnit.NANOSECONDS);
    for (Map.Entry<String, List<Item>> study : byStudy.entrySet()) {
      List<Item> items = study.getValue();
      for (int from = 0; from < items.size(); from += chunkSize) {
        List<Item> chunk = items.subList(from, Math.min(items.size(), from + chunkSize));
        ReportIngestion.StudyBatch batch = ingest(study.getKey(), chunk);
        for (int i = 0; i < chunk.size(); i++) {
          if (batch.refusals().get(i) != null) {
            refused.add(chunk.get(i));
            reasons.add(batch.refusals().get(i));
          }
        }
        publish(batch);
      }
    }
    deadLetter(refused, reasons);
  }

  private ReportIngestion.StudyBatch ingest(String studyId, List<Item> chunk) {
    List<ReportMessage> messages = chunk.stream().map(Item::message).toList();
    long start = System.nanoTime();
    ReportIngestion.StudyBatch batch =
        retrying.run(
            "ingesting " + messages.size() + " records of study " + studyId,
            () -> ingestion.ingestBatch(studyId, messages));
    storing.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    for (int i = 0; i < chunk.size(); i++) {
      Ingested.Outcome outcome = batch.outcomes().get(i);
      if (outcome == null) {
        continue;
      }
      switch (outcome) {
        case STORED -> stored.increment();
        case DUPLICATE -> redelivered.increment();
        case FENCED -> fenced.increment();
      }
      if (outcome == Ingested.Outcome.DUPLICATE) {
        ReportMessage m = messages.get(i);
        LOG.debugf(
            "redelivered %s of trial %s (attempt %d) acknowledged without change",
            m.getClass().getSimpleName(), m.trialId(), m.attempt());
      }
    }
    return batch;
  }

  private void publish(ReportIngestion.StudyBatch batch) {
    Ingested ingested = batch.ingested();
    if (ingested.effects().enqueued()) {
      signal.wake();
    }
    long start = System.nanoTime();
    int sent =
        retrying.run(
            "publishing the decisions of study " + ingested.studyId(),
            () -> publisher.publish(ingested));
    if (sent > 0) {
      publishing.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
    if (sent > 0 || ingested.effects().freed()) {
      // the progress follows off this thread, one for any number of chunks while one is on its way
      wakeups.studyChanged(ingested.studyId());
    }
  }

  /** Copies each refused record alone to the dead-letter topic and waits for every copy. */
  private void deadLetter(List<Item> refused, List<Throwable> reasons) {
    if (refused.isEmpty()) {
      return;
    }
    DeadLetterWriter writer =
        deadLetters
            .writer(CHANNEL)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "channel "
                            + CHANNEL
                            + " has no dead-letter writer: its failure-strategy must be "
                            + DeadLetterStrategy.NAME));
    List<CompletableFuture<Void>> copies = new ArrayList<>();
    for (int i = 0; i < refused.size(); i++) {
      ConsumerRecord<String, byte[]> r = refused.get(i).record();
      copies.add(
          writer
              .write(
                  DeadLetterWriter.bytes(r.key()),
                  r.value(),
                  r.headers(),
                  r.topic(),
                  r.partition(),
                  r.offset(),
                  reasons.get(i))
              .toCompletableFuture());
    }
    CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)).join();
  }
}
