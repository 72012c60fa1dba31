package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.DecisionMessage;
import io.sharpsweep.store.db.DecisionRepository;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.query.StudyQueries;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends committed decisions to {@code sharpsweep.decisions} (keyed by study), in the order they
 * were taken, waiting for the broker's acknowledgement of every one before marking them published;
 * then a {@code StudyProgress}. All of a study's pending decisions are sent at once and then
 * awaited together (the producer keeps their order: one key, one partition). Called on the
 * consumer's worker thread ({@link #publish}), so the incoming record is acknowledged only after
 * its decisions are safely out: if the store stops in between, the redelivered record finds the
 * decision unpublished and sends it again. The consumer leaves the progress that follows to {@link
 * io.sharpsweep.store.service.Wakeups} (coalesced per study, off its thread): the decisions on the
 * same partition have woken the scheduler already, and counting a large study's trials for every
 * chunk is what would hold the consumer up.
 *
 * <p>The report consumer, the control API and the reaper's outbox sweep all publish a study's
 * unpublished decisions, so publication holds the study's row lock: one publisher at a time per
 * study, each decision sent once in the normal course (at least once after a crash).
 */
@ApplicationScoped
public class DecisionPublisher {
  private final MutinyEmitter<byte[]> emitter;
  private final StoreDatabase db;
  private final StudyQueries queries;
  private final StudyRepository studies = new StudyRepository();
  private final DecisionRepository decisions = new DecisionRepository();
  private final RungBookkeeping rungs = new RungBookkeeping();
  private final Clock clock = Clock.systemUTC();

  @Inject
  DecisionPublisher(
      @Channel("decisions-out") MutinyEmitter<byte[]> emitter,
      StoreDatabase db,
      StudyQueries queries) {
    this.emitter = emitter;
    this.db = db;
    this.queries = queries;
  }

  /**
   * Publishes the study's unpublished decisions, if the batch left some, without the progress.
   *
   * @return how many were sent
   */
  public int publish(Ingested ingested) {
    if (ingested.decisions().isEmpty()) {
      return 0;
    }
    return publishDecisions(ingested.studyId());
  }

  /**
   * Publishes the study's unpublished decisions, then its progress if any was sent or {@code
   * progressAnyway} (a wake-up for the scheduler).
   */
  public void publishPending(String studyId, boolean progressAnyway) {
    int sent = publishDecisions(studyId);
    if (sent > 0 || progressAnyway) {
      send(queries.progress(studyId));
    }
  }

  /** Publishes the study's unpublished decisions under its row lock; returns how many. */
  private int publishDecisions(String studyId) {
    return db.inTransaction(
        "publishing the decisions of study " + studyId,
        c -> {
          if (studies.lock(c, studyId).isEmpty()) {
            return 0;
          }
          // Read again under the lock: another consumer may have sent some since this record's
          // transaction.
          List<PendingDecision> pending = rungs.unpublished(c, studyId);
          // send all, then wait for every acknowledgement: one round trip to the broker
          sendAll(pending.stream().map(PendingDecision::decision).toList());
          decisions.markAllPublished(
              c, pending.stream().map(PendingDecision::id).toList(), clock.instant());
          return pending.size();
        });
  }

  /** Publishes the decisions of every study that still has some taken before {@code before}. */
  public void sweep(java.time.Instant before) {
    List<String> ids =
        db.read("looking for unpublished decisions", c -> decisions.unpublishedStudies(c, before));
    for (String id : ids) {
      publishPending(id, false);
    }
  }

  private void sendAll(List<? extends DecisionMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    List<Uni<Void>> sent = new ArrayList<>(messages.size());
    for (DecisionMessage m : messages) {
      // subscribed (sent) in this order, each awaited below
      sent.add(
          emitter
              .sendMessage(KafkaRecord.of(m.studyId(), Json.encode(m)))
              .memoize()
              .indefinitely());
    }
    for (Uni<Void> u : sent) {
      u.subscribe().with(x -> {}, e -> {});
    }
    for (Uni<Void> u : sent) {
      u.await().indefinitely();
    }
  }

  private void send(DecisionMessage message) {
    emitter.sendMessageAndAwait(KafkaRecord.of(message.studyId(), Json.encode(message)));
  }
}
