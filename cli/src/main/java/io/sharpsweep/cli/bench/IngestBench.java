package io.sharpsweep.cli.bench;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.api.ApiException;
import io.sharpsweep.protocol.api.Curve;
import io.sharpsweep.protocol.api.CurvePoint;
import io.sharpsweep.protocol.api.EpochView;
import io.sharpsweep.protocol.api.JsonHttp;
import io.sharpsweep.protocol.api.StoreClient;
import io.sharpsweep.protocol.api.StudyDetail;
import io.sharpsweep.protocol.api.TrialView;
import io.sharpsweep.protocol.control.ControlPaths;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.DecisionMessage;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.TrialIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code sharpsweep bench-ingest} against a running broker and results-store: creates a running
 * study of {@code trials} trials over the store's control API (as the scheduler does: the study,
 * then its trials, whose first segments are queued), then floods {@code trials × epochs} valid
 * epoch reports from {@code producers} threads, each with its own Kafka producer (keyed by trial,
 * as workers send them; each thread owns every producers-th trial and sends its epochs in order).
 * It measures the sustained ingestion rate from the store's own arrival times (first to last report
 * stored, over REST), the latency from publish to visible on a sample of reports (the trial's curve
 * polled until the epoch is there), the decisions published on {@code sharpsweep.decisions}, and
 * checks over REST that every report is stored exactly once.
 */
public final class IngestBench {
  /** What to run; {@code samples} is about how many reports the latency probe follows. */
  public record Options(
      int producers, int trials, int epochs, int samples, Duration timeout, String database) {}

  /** The figures of one run. */
  public record Result(
      String database,
      int cores,
      int producers,
      int trials,
      int epochs,
      long reports,
      double publishSeconds,
      double publishedPerSecond,
      long reportsStored,
      boolean everyReportStoredOnce,
      double storeSeconds,
      double reportsPerSecond,
      ScaleBench.Latency publishToVisible,
      int decisionsPublished,
      int decisionsExpected,
      String studyState,
      String studyId,
      String error,
      long warmUpReports,
      double warmUpReportsPerSecond) {
    /** This run's figures after {@code warmUp}, a run of its own on another study, not counted. */
    public Result afterWarmUp(Result warmUp) {
      return new Result(
          database,
          cores,
          producers,
          trials,
          epochs,
          reports,
          publishSeconds,
          publishedPerSecond,
          reportsStored,
          everyReportStoredOnce,
          storeSeconds,
          reportsPerSecond,
          publishToVisible,
          decisionsPublished,
          decisionsExpected,
          studyState,
          studyId,
          error != null ? error : warmUp.error() == null ? null : "warm-up: " + warmUp.error(),
          warmUp.reportsStored(),
          warmUp.reportsPerSecond());
    }
  }

  /** A followed report; {@code seq} orders the samples by their send. */
  private record Sample(String trialId, int epoch, long publishedNanos, long seq) {}

  /** The samples on their way, oldest send first. */
  private static ConcurrentSkipListMap<Long, Sample> samples() {
    return new ConcurrentSkipListMap<>();
  }

  /**
   * How many not-yet-visible samples one pass of the probe asks about before it waits for the next
   * pass.
   */
  static final int PROBE_MISSES_PER_PASS = 4;

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final StoreClient store;

  /** The store's control API, which the bench drives in the scheduler's place. */
  private final JsonHttp control;

  private final String storeUrl;
  private final String bootstrap;
  private final Consumer<String> say;

  public IngestBench(String storeUrl, String bootstrap, Consumer<String> say) {
    this.storeUrl = storeUrl;
    this.store = StoreClient.of(storeUrl, null);
    this.control =
        new JsonHttp("the results-store", storeUrl, Duration.ofSeconds(60), Optional.empty());
    this.bootstrap = bootstrap;
    this.say = say;
  }

  static String spec(Options o) {
    return """
        name: bench-ingest
        dataset: {name: synthetic, validationFraction: 0.1, trainLimit: 1000, testLimit: 100}
        model: mlp
        objectives: [{metric: val_accuracy, goal: maximize}]
        space:
          - {name: lr, type: float, low: 0.01, high: 0.3, log: true}
          - {name: momentum, type: float, low: 0.0, high: 0.9}
        fixed: {variant: sgd, batch-size: 128}
        sampler: {type: random, seed: 1}
        scheduler: {type: none, maxEpochs: %d}
        budget: {trials: %d, parallelism: %d, maxAttempts: 3}
        seed: 1
        """
        .formatted(o.epochs(), o.trials(), o.trials());
  }

  /** The study and its trials, created through the store's control API, 250 trials a call. */
  private void createStudy(Options o, String id) {
    StudySpec spec = Json.decodeYaml(spec(o), StudySpec.class);
    control.post(ControlPaths.STUDIES, new CreateStudy(id, spec, Instant.now().toEpochMilli()));
    for (int first = 0; first < o.trials(); first += 250) {
      int n = Math.min(250, o.trials() - first);
      List<Map<String, Object>> params = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        params.add(Map.of("lr", 0.01 + 0.29 * ((first + i) % 97) / 97.0, "momentum", 0.5));
      }
      control.post(ControlPaths.STUDIES + "/" + id + "/trials", new NewTrials(first, params));
    }
  }

  /** A thread that adds {@code trial/attempt/epoch} of each decision of study {@code id}. */
  private static Thread decisionsReader(
      KafkaConsumer<String, byte[]> decisions, String id, Set<String> decided, Flag running) {
    return daemon(
        "bench-ingest-decisions",
        () -> {
          while (running.value) {
            for (ConsumerRecord<String, byte[]> rec : decisions.poll(Duration.ofMillis(100))) {
              try {
                DecisionMessage m = Json.decode(rec.value(), DecisionMessage.class);
                if (m instanceof RungDecision d && d.studyId().equals(id)) {
                  decided.add(d.trialId() + "/" + d.attempt() + "/" + d.epoch());
                }
              } catch (RuntimeException e) {
                // not ours
              }
            }
          }
        });
  }

  /** The reports the store holds and the study's state, last seen. */
  private record Stored(long reports, String state) {}

  /** Asks the store every 250 ms until it holds {@code total} reports or the timeout passes. */
  private Stored awaitStored(Options o, String id, long total) throws InterruptedException {
    long deadline = System.nanoTime() + o.timeout().toNanos();
    long stored = 0;
    String state = "?";
    while (System.nanoTime() < deadline) {
      try {
        StudyDetail s = store.study(id);
        stored = s.reportsStored();
        state = s.state();
      } catch (ApiException e) {
        // busy: ask again
      }
      if (stored >= total) {
        break;
      }
      Thread.sleep(250);
    }
    return new Stored(stored, state);
  }

  /**
   * Floods the reports from {@code o.producers()} threads ({@link #flood}) and waits for them.
   *
   * @return the seconds from the first thread's start to the last one's end
   */
  private double publish(
      Options o,
      String id,
      long stride,
      ConcurrentSkipListMap<Long, Sample> pending,
      AtomicLong acked,
      AtomicReference<String> error)
      throws InterruptedException {
    long t0 = System.nanoTime();
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < o.producers(); p++) {
      int me = p;
      Thread t =
          new Thread(
              () -> flood(o, id, me, stride, pending, acked, error), "bench-ingest-producer-" + p);
      producers.add(t);
      t.start();
    }
    for (Thread t : producers) {
      t.join();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** What the probes and producers share while the flood runs. */
  private record Shared(
      Set<String> decided,
      ConcurrentSkipListMap<Long, Sample> pending,
      List<Double> latencies,
      AtomicReference<String> error,
      Flag running) {
    static Shared empty() {
      return new Shared(
          ConcurrentHashMap.newKeySet(),
          samples(),
          Collections.synchronizedList(new ArrayList<>()),
          new AtomicReference<>(),
          new Flag());
    }
  }

  public Result run(Options o) throws InterruptedException {
    String id = "bench-ingest-" + Long.toString(System.currentTimeMillis(), 36);
    long total = (long) o.trials() * o.epochs();
    createStudy(o, id);
    sayFlooding(o, id, total);

    Shared sh = Shared.empty();
    AtomicReference<String> error = sh.error();
    try (KafkaConsumer<String, byte[]> decisions = decisionsConsumer()) {
      Thread consumer = decisionsReader(decisions, id, sh.decided(), sh.running());
      consumer.start();
      List<Thread> pollers = startProbes(id, sh);
      long stride = Math.max(1, total / Math.max(1, o.samples()));
      AtomicLong acked = new AtomicLong();
      double publishSeconds = publish(o, id, stride, sh.pending(), acked, error);
      say.accept(
          String.format(
              java.util.Locale.ROOT,
              "published %d reports in %.1f s; waiting for the store",
              acked.get(),
              publishSeconds));
      Stored seen = awaitStored(o, id, total);
      long stored = seen.reports();
      drain(o, sh, pollers, consumer);
      String state = finalState(id, seen.state());
      double[] span = new double[] {Double.MAX_VALUE, -Double.MAX_VALUE};
      boolean once = storedOnce(id, o, span);
      double storeSeconds = span[1] - span[0];
      if (stored < total && error.get() == null) {
        error.set("only " + stored + " of " + total + " reports were stored within " + o.timeout());
      }
      return new Result(
          o.database(),
          Runtime.getRuntime().availableProcessors(),
          o.producers(),
          o.trials(),
          o.epochs(),
          total,
          ScaleBench.round(publishSeconds),
          Math.round(acked.get() / publishSeconds),
          stored,
          once && stored == total,
          ScaleBench.round(storeSeconds),
          storeSeconds > 0 ? Math.round((stored - 1) / storeSeconds) : Double.NaN,
          ScaleBench.Latency.of(sh.latencies()),
          sh.decided().size(),
          o.trials(),
          state,
          id,
          error.get(),
          0,
          Double.NaN);
    }
  }

  private void sayFlooding(Options o, String id, long total) {
    say.accept(
        "study "
            + id
            + ": "
            + o.trials()
            + " trials created; flooding "
            + total
            + " reports from "
            + o.producers()
            + " producers");
  }

  /** The probe's thread, which times reports from their send to their stored read. */
  private List<Thread> startProbes(String id, Shared sh) {
    Thread t =
        daemon("bench-ingest-probe", () -> probe(id, sh.pending(), sh.latencies(), sh.running()));
    t.start();
    return List.of(t);
  }

  /** Waits up to 15 s for every trial's decision and every probe, then stops the threads. */
  private static void drain(Options o, Shared sh, List<Thread> pollers, Thread consumer)
      throws InterruptedException {
    long until = System.nanoTime() + 15_000_000_000L;
    while ((sh.decided().size() < o.trials() || !sh.pending().isEmpty())
        && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    sh.running().value = false;
    for (Thread t : pollers) {
      t.join(5000);
    }
    consumer.join(5000);
  }

  /** The study's state now, or the last one seen if the store does not answer. */
  private String finalState(String id, String lastSeen) {
    try {
      return store.study(id).state();
    } catch (ApiException e) {
      // keep the last one seen
      return lastSeen;
    }
  }

  /** One producer thread: its trials (every producers-th), epoch after epoch. */
  private void flood(
      Options o,
      String studyId,
      int me,
      long stride,
      ConcurrentSkipListMap<Long, Sample> pending,
      AtomicLong acked,
      AtomicReference<String> error) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-ingest-" + me);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int epoch = 1; epoch <= o.epochs(); epoch++) {
        for (int number = me; number < o.trials(); number += o.producers()) {
          String trialId = TrialIds.trialId(studyId, number);
          EpochReport r =
              new EpochReport(
                  SchemaVersion.CURRENT,
                  studyId,
                  trialId,
                  1,
                  epoch,
                  new Metrics(
                      Math.min(1.0, 0.5 + 0.004 * epoch + 0.0001 * (number % 100)),
                      1.0 / epoch,
                      1.0 / epoch,
                      null),
                  new Cost(100L * epoch, 100L * epoch, 6400L * epoch, 0.0, 0.1 * epoch, epoch),
                  "bench-ingest-" + me,
                  "file:///bench/" + trialId + "/" + epoch,
                  epoch == o.epochs());
          long index = (long) number * o.epochs() + epoch;
          if (index % stride == 0) {
            long seq = SEQUENCE.incrementAndGet();
            pending.put(seq, new Sample(trialId, epoch, System.nanoTime(), seq));
          }
          producer.send(
              new ProducerRecord<>(Topics.REPORTS, trialId, Json.encode(r)),
              (meta, e) -> {
                if (e != null) {
                  error.compareAndSet(null, "a report was not published: " + e);
                } else {
                  acked.incrementAndGet();
                }
              });
        }
      }
      producer.flush();
    }
  }

  /**
   * Follows the sampled reports to their appearance on their trial's curve over REST. A pass, every
   * 20 ms, walks the samples on their way oldest send first and asks for each one's trial's curve
   * after the epoch before it ({@code curve?after=}, a few points at most); a curve answers for
   * every sample of its trial. The pass ends after {@link #PROBE_MISSES_PER_PASS} samples not
   * visible yet, so the probe costs the store a few small reads per pass however many reports are
   * on their way. The store takes reports about in the order they were sent; one stored before
   * older ones is seen once it is among the oldest on their way: never early, at worst late.
   */
  private void probe(
      String studyId,
      ConcurrentSkipListMap<Long, Sample> pending,
      List<Double> latencies,
      Flag running) {
    while (running.value) {
      sleep(20);
      int misses = 0;
      for (Sample s : pending.values()) {
        if (misses >= PROBE_MISSES_PER_PASS || !running.value) {
          break;
        }
        if (!pending.containsKey(s.seq())) {
          continue; // seen with an earlier sample of its trial in this pass
        }
        Curve curve;
        try {
          curve = store.curve(studyId, s.trialId(), s.epoch() - 1);
        } catch (ApiException e) {
          misses++;
          continue;
        }
        long seen = System.nanoTime();
        Set<Integer> epochs = new HashSet<>();
        for (CurvePoint point : curve.points()) {
          epochs.add(point.epoch());
        }
        if (!epochs.contains(s.epoch())) {
          misses++;
        }
        pending
            .values()
            .removeIf(
                o -> {
                  if (o.trialId().equals(s.trialId()) && epochs.contains(o.epoch())) {
                    latencies.add((seen - o.publishedNanos()) / 1e6);
                    return true;
                  }
                  return false;
                });
      }
    }
  }

  /**
   * Reads every trial over REST: each epoch 1..epochs of attempt 1 stored exactly once; {@code
   * span} gets the first and last arrival time (seconds).
   */
  private boolean storedOnce(String studyId, Options o, double[] span) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<double[]>> parts = new ArrayList<>();
      for (int number = 0; number < o.trials(); number++) {
        String trialId = TrialIds.trialId(studyId, number);
        parts.add(
            pool.submit(
                () -> {
                  TrialView t = store.trial(studyId, trialId);
                  Set<Integer> seen = new HashSet<>();
                  double first = Double.MAX_VALUE;
                  double last = -Double.MAX_VALUE;
                  boolean ok = true;
                  for (EpochView e : t.epochs()) {
                    ok &= e.attempt() == 1 && seen.add(e.epoch());
                    Instant at = e.receivedAt();
                    double s = at.getEpochSecond() + at.getNano() / 1e9;
                    first = Math.min(first, s);
                    last = Math.max(last, s);
                  }
                  ok &= seen.size() == o.epochs();
                  return new double[] {ok ? 1 : 0, first, last};
                }));
      }
      boolean once = true;
      for (Future<double[]> f : parts) {
        double[] r;
        try {
          r = f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          say.accept("reading a trial failed: " + e.getCause());
          once = false;
          continue;
        }
        once &= r[0] == 1;
        span[0] = Math.min(span[0], r[1]);
        span[1] = Math.max(span[1], r[2]);
      }
      return once;
    } finally {
      pool.shutdownNow();
    }
  }

  private KafkaConsumer<String, byte[]> decisionsConsumer() {
    return DecisionsTail.atEnd(bootstrap, "bench-ingest-decisions");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static final class Flag {
    volatile boolean value = true;
  }
}
