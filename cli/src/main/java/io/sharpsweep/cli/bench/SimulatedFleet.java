package io.sharpsweep.cli.bench;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.protocol.control.LeaseEnd;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.worker.engine.SegmentStoppedException;
import io.sharpsweep.worker.lease.ControlClient;
import io.sharpsweep.worker.lease.ControlException;
import io.sharpsweep.worker.lease.LeaseAhead;
import io.sharpsweep.worker.lease.LeaseSession;
import io.sharpsweep.worker.lease.LeaseSession.Progress;
import io.sharpsweep.worker.lease.ReportPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * N trainer-workers in one JVM for {@code sharpsweep bench-scale}: the worker's own lease client,
 * lease state and report pipeline ({@link ControlClient}, {@link LeaseSession}, {@link
 * ReportPipeline} of the trainer-worker module, without its Quarkus layer) and its protocol (a
 * long-poll {@code POST /v1/leases}, heartbeats every {@code heartbeatMillis} and once more after
 * each acknowledged report, each report sent while the next epoch trains, {@code complete} after
 * the last report was acknowledged, asking for the next lease in the same request, and the lease
 * ahead of {@link LeaseAhead}: the next segment asked for in the current one's last {@code
 * leaseAhead}, started at once when the current one ends), epoch reports on {@code
 * sharpsweep.reports} through a real Kafka producer with {@code acks=all}, and a checkpoint file
 * per epoch; only the training is simulated: an epoch takes {@code epochSeconds} and its metrics
 * follow a synthetic learning curve seeded by the trial's seed.
 *
 * <p>One thread per worker (it blocks in the long poll and in the epoch's sleep), one shared HTTP
 * client (one {@link ControlClient}), one shared producer, and a pool with a heartbeat thread per
 * worker (a real worker renews on a thread of its own, so a slow renewal never delays another
 * worker's), so that hundreds of workers fit on two cores. What the benchmark needs is recorded on
 * the monotonic clock: every lease with its arrival and end, and every report with its send and
 * acknowledgement.
 */
public final class SimulatedFleet implements AutoCloseable {
  /**
   * One lease as a worker held it (nanoTime): its arrival, when its segment started training (its
   * arrival, or for a lease granted ahead the end of the training of the segment before it), the
   * segment's end (its last report acknowledged, before {@code complete} is sent; when the next
   * segment was held ahead, that one trains meanwhile), and when the worker stopped waiting on the
   * call that ended the lease (for a {@code complete} that brought the next lease, when that lease
   * arrived; when the next lease was held ahead, the segment's end: that call runs aside).
   */
  public record Held(
      int worker,
      long receivedNanos,
      long startedNanos,
      long endedNanos,
      long endCalledNanos,
      String trialId,
      int epochs,
      boolean ahead) {}

  /** One report: sent (nanoTime) and acknowledged by the broker. */
  public record Sent(String trialId, int attempt, int epoch, long sentNanos, long ackedNanos) {}

  private final ControlClient client;
  private final KafkaProducer<String, byte[]> producer;
  private final ScheduledThreadPoolExecutor heartbeats;

  /**
   * Ends segments aside (their last acknowledgement, then {@code complete}) while the next trains.
   */
  private final ExecutorService ending =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "bench-segment-end");
            t.setDaemon(true);
            return t;
          });

  private final double epochSeconds;
  private final int leaseWaitSeconds;
  private final Duration leaseAhead;
  private final List<LeaseAhead> aheads = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Path checkpoints;
  private final String idPrefix;
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
  private final Map<String, Sent> sent = new ConcurrentHashMap<>();
  private final AtomicInteger busy = new AtomicInteger();
  private volatile CountDownLatch firstRequests = new CountDownLatch(0);
  private final AtomicInteger lost = new AtomicInteger();
  private final AtomicInteger errors = new AtomicInteger();
  private final AtomicLong duplicates = new AtomicLong();
  private volatile boolean stopping;

  /**
   * @param storeUrl the results-store (its {@code /v1/leases})
   * @param token the bearer token, or empty when the stack runs without one
   */
  public SimulatedFleet(
      String storeUrl,
      Optional<String> token,
      String bootstrapServers,
      Path checkpoints,
      double epochSeconds,
      int leaseWaitSeconds,
      Duration leaseAhead,
      String idPrefix) {
    this.client = new ControlClient(storeUrl, token, Duration.ofSeconds(10));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, idPrefix + "fleet");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.heartbeats =
        new ScheduledThreadPoolExecutor(
            8,
            r -> {
              Thread t = new Thread(r, "bench-heartbeat");
              t.setDaemon(true);
              return t;
            });
    this.epochSeconds = epochSeconds;
    this.leaseWaitSeconds = leaseWaitSeconds;
    this.leaseAhead = leaseAhead;
    this.checkpoints = checkpoints;
    this.idPrefix = idPrefix;
  }

  /** Starts workers {@code 1..n}, each asking for a lease at once. */
  public void start(int n) {
    heartbeats.setCorePoolSize(Math.max(heartbeats.getCorePoolSize(), n));
    firstRequests = new CountDownLatch(n);
    for (int i = 1; i <= n; i++) {
      int w = i;
      Thread t = new Thread(() -> run(w), "bench-worker-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  public String workerId(int i) {
    return idPrefix + "w" + i;
  }

  /** Waits until every started worker has sent its first lease request; false on timeout. */
  public boolean awaitFirstRequests(Duration timeout) throws InterruptedException {
    return firstRequests.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Leases held ahead now, not started yet. */
  public int heldAhead() {
    return (int) aheads.stream().filter(LeaseAhead::holding).count();
  }

  /** Workers holding a lease now. */
  public int busy() {
    return busy.get();
  }

  public List<Held> held() {
    return List.copyOf(held);
  }

  public Map<String, Sent> sent() {
    return Map.copyOf(sent);
  }

  /** Leases lost (409, or not renewed in time): each is an epoch trained again by another. */
  public int lost() {
    return lost.get();
  }

  /** Control or broker calls that had to be retried. */
  public int errors() {
    return errors.get();
  }

  /** Reports sent twice for the same (trial, attempt, epoch) by this fleet. */
  public long duplicates() {
    return duplicates.get();
  }

  static String key(String trialId, int attempt, int epoch) {
    return trialId + "#" + attempt + "#" + epoch;
  }

  /** The next lease: from a {@code complete}'s answer, or held ahead. */
  private record Next(LeaseSession session, boolean ahead) {}

  private void run(int w) {
    String id = workerId(w);
    LeaseAhead ahead =
        new LeaseAhead(
            () -> client.acquireAhead(id),
            leaseAhead,
            heartbeats,
            s -> heartbeat(id, s),
            s -> end(id, s, "release", "lease held ahead handed back unstarted"));
    aheads.add(ahead);
    try {
      run(w, id, ahead);
    } finally {
      ahead.close();
    }
  }

  private void run(int w, String id, LeaseAhead ahead) {
    long backoff = 500;
    boolean first = true;
    Next next = null;
    while (!stopping || next != null) {
      try {
        if (first) {
          first = false;
          firstRequests.countDown();
        }
        Optional<Next> lease;
        if (next != null) {
          lease = Optional.of(next);
          next = null;
        } else {
          lease =
              client
                  .acquire(id, leaseWaitSeconds)
                  .map(l -> new Next(new LeaseSession(l, System.nanoTime()), false));
        }
        backoff = 500;
        if (lease.isPresent()) {
          if (stopping) {
            end(id, lease.get().session(), "release", "benchmark stopping");
            return;
          }
          next = handle(w, id, lease.get(), ahead);
        }
        continue;
      } catch (ControlException e) {
        errors.incrementAndGet();
      } catch (RuntimeException e) {
        errors.incrementAndGet();
      }
      sleep(backoff);
      backoff = Math.min(5000, backoff * 2);
    }
  }

  /**
   * Trains the segment as the trainer-worker's lease loop does: each epoch's report goes to the
   * worker's {@link ReportPipeline} once its checkpoint is written, and the next epoch trains while
   * the broker acknowledges it. When the training ends with a lease held ahead, the next segment
   * starts at once and this one ends aside: once its last report is acknowledged, {@code complete}
   * (its lease renewed until then). Otherwise the worker waits for that acknowledgement and
   * completes, asking for the next lease in the same request.
   */
  private Next handle(int w, String id, Next next, LeaseAhead ahead) {
    busy.incrementAndGet();
    long started = System.nanoTime();
    LeaseSession s = next.session();
    Lease lease = s.lease();
    SegmentAssignment a = lease.assignment();
    long period = LeaseAhead.heartbeatPeriod(lease);
    long firstBeat = s.start() ? 0 : s.nextRenewalMillis(period);
    ScheduledFuture<?> beat =
        heartbeats.scheduleAtFixedRate(
            () -> heartbeat(id, s), firstBeat, period, TimeUnit.MILLISECONDS);
    ReportPipeline reports =
        new ReportPipeline(
            s, this::send, p -> heartbeats.execute(() -> heartbeat(id, s)), Duration.ofSeconds(30));
    int trained = 0;
    boolean stopped = false;
    ahead.segmentStarted(a, started);
    try {
      for (int epoch = a.fromEpoch() + 1; epoch <= a.toEpoch(); epoch++) {
        if (!train(s)) {
          break;
        }
        ahead.epochEnded(System.nanoTime());
        String uri = checkpoint(a, epoch);
        reports.submit(report(id, a, epoch, uri).underLease(s.leaseId()), true);
        trained++;
      }
    } catch (SegmentStoppedException e) {
      stopped = true; // the lease is lost or the fleet stops: the segment ends here
    }
    ahead.segmentEnded(Duration.ofSeconds(10));
    Optional<LeaseSession> heldAhead = ahead.take();
    Segment seg = new Segment(w, id, s, a, next, started, trained, stopped);
    if (heldAhead.isPresent() && !stopping) {
      // the next segment starts now; this one ends aside once its last report is acknowledged
      busy.decrementAndGet();
      ending.execute(
          () -> {
            try {
              end(seg, reports, false);
            } finally {
              beat.cancel(false);
            }
          });
      return new Next(heldAhead.get(), true);
    }
    try {
      Next after = end(seg, reports, heldAhead.isEmpty());
      busy.decrementAndGet();
      return heldAhead.map(h -> new Next(h, true)).orElse(after);
    } finally {
      beat.cancel(false);
    }
  }

  /** A segment whose training is over, as {@link #end} needs it. */
  private record Segment(
      int worker,
      String workerId,
      LeaseSession session,
      SegmentAssignment assignment,
      Next lease,
      long startedNanos,
      int trained,
      boolean stopped) {}

  /**
   * Waits for the segment's last report's acknowledgement (its end), then ends its lease: {@code
   * complete} (with {@code askNext}, asking for the next lease in the same request), or a release;
   * records it as {@link Held}. Returns the lease the complete brought.
   */
  private Next end(Segment seg, ReportPipeline reports, boolean askNext) {
    LeaseSession s = seg.session();
    boolean acknowledged = false;
    if (!seg.stopped()) {
      try {
        reports.drain();
        acknowledged = true;
      } catch (SegmentStoppedException e) {
        // the lease is lost or the fleet stops: nothing more is sent for it
      }
    }
    long finished = System.nanoTime();
    SegmentAssignment a = seg.assignment();
    boolean completes = s.valid() && acknowledged && seg.trained() == a.toEpoch() - a.fromEpoch();
    Next after = null;
    long endCalled = finished;
    if (completes) {
      LeaseSession brought = complete(seg.workerId(), s, askNext);
      if (askNext) {
        endCalled = System.nanoTime();
        after = brought == null ? null : new Next(brought, false);
      }
    } else if (s.fenced() || s.lost()) {
      lost.incrementAndGet();
    } else {
      end(seg.workerId(), s, "release", "benchmark stopping");
    }
    held.add(
        new Held(
            seg.worker(),
            s.receivedNanos(),
            seg.startedNanos(),
            finished,
            endCalled,
            a.trialId(),
            seg.trained(),
            seg.lease().ahead()));
    return after;
  }

  /** One simulated epoch: sleeps its time in slices, stopping early when the lease is gone. */
  private boolean train(LeaseSession s) {
    long end = System.nanoTime() + (long) (epochSeconds * 1e9);
    while (true) {
      if (s.stopRequested() || stopping) {
        return false;
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      sleep(Math.max(1, Math.min(100, left / 1_000_000L)));
    }
  }

  private String checkpoint(SegmentAssignment a, int epoch) {
    Path dir = checkpoints.resolve(a.trialId()).resolve("attempt-" + a.attempt());
    Path file = dir.resolve("epoch-" + epoch + ".ckpt");
    try {
      Files.createDirectories(dir);
      Files.writeString(file, a.trialId() + " epoch " + epoch + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file.toUri().toString();
  }

  /**
   * A learning curve of the trial's own: accuracy rises as {@code a − b·exp(−c·epoch)} with a, b, c
   * drawn from the trial's seed, plus a little seeded noise per epoch.
   */
  static EpochReport report(String workerId, SegmentAssignment a, int epoch, String uri) {
    SplittableRandom trial = new SplittableRandom(a.seed() * 31 + a.trialId().hashCode());
    double top = 0.70 + 0.25 * trial.nextDouble();
    double gap = 0.3 + 0.4 * trial.nextDouble();
    double rate = 0.2 + 0.8 * trial.nextDouble();
    double noise = new SplittableRandom(a.seed() * 1_000_003L + epoch).nextDouble(-0.005, 0.005);
    double acc = Math.max(0, Math.min(1, top - gap * Math.exp(-rate * epoch) + noise));
    double loss = Math.max(0.01, 2.3 * (1 - acc));
    long examples = 60_000L * epoch;
    boolean last = epoch == a.maxEpochs();
    return new EpochReport(
        SchemaVersion.CURRENT,
        a.studyId(),
        a.trialId(),
        a.attempt(),
        epoch,
        new Metrics(acc, loss, loss * 0.9, last ? acc - 0.01 : null),
        new Cost(examples / 128, examples / 128, examples, 0.0, epoch * 1.0, epoch * 1.0),
        workerId,
        uri,
        last);
  }

  /** Sends the report; the future completes when the broker acknowledged it. */
  private CompletableFuture<Void> send(EpochReport r) {
    String k = key(r.trialId(), r.attempt(), r.epoch());
    CompletableFuture<Void> acked = new CompletableFuture<>();
    long t0 = System.nanoTime();
    producer.send(
        new ProducerRecord<>(Topics.REPORTS, r.trialId(), Json.encode((ReportMessage) r)),
        (metadata, e) -> {
          if (e != null) {
            errors.incrementAndGet();
            acked.completeExceptionally(e);
            return;
          }
          Sent prev =
              sent.put(k, new Sent(r.trialId(), r.attempt(), r.epoch(), t0, System.nanoTime()));
          if (prev != null) {
            duplicates.incrementAndGet();
          }
          acked.complete(null);
        });
    return acked;
  }

  private void heartbeat(String id, LeaseSession s) {
    if (s.lost() || s.endClaimed()) {
      return;
    }
    long sentAt = System.nanoTime();
    try {
      ControlClient.Renewal r =
          client.heartbeat(s.leaseId(), s.heartbeat(id), Duration.ofSeconds(2));
      if (r.answer() == ControlClient.Answer.OK) {
        s.renewed(sentAt);
      } else if (!s.endClaimed()) {
        s.markLost();
      }
    } catch (ControlException e) {
      errors.incrementAndGet();
    } catch (RuntimeException e) {
      errors.incrementAndGet();
    }
  }

  /**
   * {@code complete}; with {@code askNext}, asking for the next lease in the same request (not once
   * stopping). Returns the next lease, with its arrival as its fencing clock's start.
   */
  private LeaseSession complete(String id, LeaseSession s, boolean askNext) {
    if (!s.claimEnd()) {
      return null;
    }
    Progress p = s.progress();
    LeaseEnd body = new LeaseEnd(id, p.epoch(), p.checkpointUri(), null);
    long backoff = 200;
    for (int i = 0; i < 20 && !s.lost(); i++) {
      try {
        ControlClient.Completion c =
            askNext
                ? client.complete(s.leaseId(), body, stopping ? 0 : leaseWaitSeconds)
                : new ControlClient.Completion(
                    client.end(s.leaseId(), "complete", body), Optional.empty());
        long received = System.nanoTime();
        if (c.answer() == ControlClient.Answer.LOST) {
          s.markLost();
          lost.incrementAndGet();
        }
        return c.next().map(l -> new LeaseSession(l, received)).orElse(null);
      } catch (ControlException e) {
        errors.incrementAndGet();
        if (!e.retryable()) {
          return null;
        }
      }
      sleep(backoff);
      backoff = Math.min(5000, backoff * 2);
    }
    return null;
  }

  private void end(String id, LeaseSession s, String kind, String reason) {
    if (!s.claimEnd()) {
      return;
    }
    Progress p = s.progress();
    LeaseEnd body = new LeaseEnd(id, p.epoch(), p.checkpointUri(), reason);
    long backoff = 200;
    for (int i = 0; i < 20 && !s.lost(); i++) {
      try {
        if (client.end(s.leaseId(), kind, body) == ControlClient.Answer.LOST) {
          s.markLost();
          lost.incrementAndGet();
        }
        return;
      } catch (ControlException e) {
        errors.incrementAndGet();
        if (!e.retryable()) {
          return;
        }
      }
      sleep(backoff);
      backoff = Math.min(5000, backoff * 2);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops taking leases and waits until every worker's long poll has returned (a lease granted
   * meanwhile is handed back at once), so that no request of this fleet outlives it on the store.
   */
  @Override
  public void close() {
    stopping = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(leaseWaitSeconds + 15L);
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    ending.shutdown();
    try {
      ending.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ending.shutdownNow();
    heartbeats.shutdownNow();
    producer.close(Duration.ofSeconds(5));
  }
}
