package io.sharpsweep.cli.bench;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.api.ApiException;
import io.sharpsweep.protocol.api.EpochView;
import io.sharpsweep.protocol.api.JsonHttp;
import io.sharpsweep.protocol.api.SchedulerClient;
import io.sharpsweep.protocol.api.StoreClient;
import io.sharpsweep.protocol.api.TrialEpochs;
import io.sharpsweep.protocol.api.TrialView;
import io.sharpsweep.protocol.control.ControlPaths;
import io.sharpsweep.protocol.control.QueueDepth;
import io.sharpsweep.protocol.messages.DecisionMessage;
import io.sharpsweep.protocol.messages.RungDecision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code sharpsweep bench-scale} against a running stack (broker, results-store, sampler,
 * scheduler): for each fleet size N, one study of {@code trials × epochs} trained by a {@link
 * SimulatedFleet} of N workers, timed from the study's creation to its last report's
 * acknowledgement, with the fleet's idle time, the dispatch latency, the report → decision latency
 * on {@code sharpsweep.decisions}, the sampler's suggest latency while the fleet runs, and a check
 * over the store's REST that every epoch is stored exactly once.
 */
public final class ScaleBench {
  /**
   * What to run. {@code trials <= 0} means {@code 2 × N} for each N; {@code parallelism <= 0} means
   * all the study's trials at once (at most 1024), so that the fleet, not the study, is the limit.
   * {@code leaseAhead} is the workers' lease-ahead window (zero: off); {@code warmUp} runs a short
   * study first that is not counted.
   */
  public record Options(
      List<Integer> workers,
      int trials,
      int parallelism,
      int epochs,
      double epochSeconds,
      String scheduler,
      String sampler,
      String probeSampler,
      int leaseWaitSeconds,
      Duration leaseAhead,
      boolean warmUp,
      Duration timeout) {
    /** The warm-up: the smallest N, one trial per worker, one epoch. */
    Options warmUpRun() {
      int n = workers.stream().mapToInt(Integer::intValue).min().orElse(1);
      return new Options(
          List.of(n),
          n,
          0,
          1,
          epochSeconds,
          scheduler,
          sampler,
          probeSampler,
          leaseWaitSeconds,
          leaseAhead,
          false,
          timeout);
    }
  }

  /** p50/p99/max of one latency in milliseconds over {@code count} samples. */
  public record Latency(int count, double p50Ms, double p99Ms, double maxMs) {
    static Latency of(List<Double> ms) {
      if (ms.isEmpty()) {
        return new Latency(0, Double.NaN, Double.NaN, Double.NaN);
      }
      double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Latency(v.length, rank(v, 0.50), rank(v, 0.99), v[v.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
      int i = (int) Math.ceil(q * sorted.length) - 1;
      return round(sorted[Math.max(0, Math.min(sorted.length - 1, i))]);
    }
  }

  /** The figures of one fleet size. */
  public record Run(
      int workers,
      String studyId,
      int trials,
      int epochs,
      double epochSeconds,
      int epochsTrained,
      double idealSeconds,
      double makespanSeconds,
      double makespanOverIdeal,
      double storeCompleteSeconds,
      double idleFraction,
      double idleWhileQueuedFraction,
      double idleWhileHeldAheadFraction,
      int segmentsStartedAhead,
      Overhead overhead,
      CriticalPath criticalPath,
      Latency segmentOverrun,
      Latency dispatch,
      Latency dispatchEndCall,
      Latency dispatchLeaseWait,
      Latency firstLease,
      Latency reportToDecision,
      Latency reportAck,
      Latency suggest,
      int leasesLost,
      int retriedCalls,
      int epochsStored,
      int epochsDuplicated,
      int trialsIncomplete,
      boolean everyEpochStoredOnce,
      String error) {}

  /**
   * Where the makespan's excess over the ideal went: the first lease (p50 of the workers' first
   * leases) and the last report's way (from its send to the broker's acknowledgement), in seconds
   * and as shares of the excess; {@code steadyStateOverIdeal} is the makespan less both, over the
   * ideal.
   */
  public record Overhead(
      double excessSeconds,
      double firstLeaseSeconds,
      double firstLeaseShare,
      double lastReportSeconds,
      double lastReportShare,
      double steadyStateOverIdeal) {
    static Overhead of(double makespan, double ideal, double firstLease, double lastReport) {
      double excess = makespan - ideal;
      return new Overhead(
          round(excess),
          round(firstLease),
          round(firstLease / excess),
          round(lastReport),
          round(lastReport / excess),
          round((makespan - firstLease - lastReport) / ideal));
    }
  }

  /**
   * The makespan along the worker whose last segment ended last, which the makespan waits for: its
   * first lease (from the study's creation), its epochs' set time, what its segments took beyond
   * that ({@code overrunSeconds}: checkpoints, report sends, and of that {@code
   * lastReportWaitSeconds}, each segment's wait from its last report's send to the broker's
   * acknowledgement), the gaps between its segments, and the rest to the makespan's end (another
   * worker's last report acknowledged after its own). The five add up to the makespan.
   */
  public record CriticalPath(
      int segments,
      int epochs,
      double firstLeaseSeconds,
      double trainingSeconds,
      double overrunSeconds,
      double lastReportWaitSeconds,
      double gapsSeconds,
      double afterSeconds) {
    static final CriticalPath NONE = new CriticalPath(0, 0, Double.NaN, 0, 0, 0, 0, 0);
  }

  /** Every run, and the growth of each figure as its ratio to the first (smallest) N. */
  public record Result(
      String database,
      String scheduler,
      String sampler,
      String probeSampler,
      int cores,
      double leaseAheadSeconds,
      boolean warmedUp,
      String idealRule,
      List<Run> runs,
      Map<String, List<Double>> growth) {}

  private final SchedulerClient scheduler;
  private final StoreClient store;

  /** The store's queue depth (control API) and the sampler's suggest, probed while it runs. */
  private final JsonHttp control;

  private final JsonHttp samplerHttp;
  private final String storeUrl;
  private final String bootstrap;
  private final Path workDir;
  private final Consumer<String> say;

  public ScaleBench(
      String schedulerUrl,
      String storeUrl,
      String samplerUrl,
      String bootstrap,
      Path workDir,
      Consumer<String> say) {
    this.storeUrl = storeUrl;
    this.scheduler = SchedulerClient.of(schedulerUrl, null);
    this.store = StoreClient.of(storeUrl, null);
    this.control =
        new JsonHttp("the results-store", storeUrl, Duration.ofSeconds(60), Optional.empty());
    this.samplerHttp =
        new JsonHttp("the sampler", samplerUrl, Duration.ofSeconds(60), Optional.empty());
    this.bootstrap = bootstrap;
    this.workDir = workDir;
    this.say = say;
  }

  public Result run(Options o, String database) throws InterruptedException {
    if (o.warmUp()) {
      say.accept("warm-up study (not counted):");
      try {
        runOne(o.warmUpRun(), o.warmUpRun().workers().get(0));
      } catch (RuntimeException e) {
        say.accept("warm-up: " + e.getMessage());
      }
    }
    List<Run> runs = new ArrayList<>();
    for (int n : o.workers()) {
      try {
        runs.add(runOne(o, n));
      } catch (RuntimeException e) {
        say.accept("N=" + n + ": " + e.getMessage());
        runs.add(failed(o, n, e.getMessage()));
      }
    }
    Map<String, List<Double>> growth = new LinkedHashMap<>();
    Run base = runs.get(0);
    growth.put("makespanOverIdeal", ratios(runs, r -> r.makespanOverIdeal(), base));
    growth.put("idleFraction", ratios(runs, r -> r.idleFraction(), base));
    growth.put("dispatchP50", ratios(runs, r -> r.dispatch().p50Ms(), base));
    growth.put("dispatchP99", ratios(runs, r -> r.dispatch().p99Ms(), base));
    growth.put("reportToDecisionP50", ratios(runs, r -> r.reportToDecision().p50Ms(), base));
    growth.put("reportToDecisionP99", ratios(runs, r -> r.reportToDecision().p99Ms(), base));
    growth.put("suggestP50", ratios(runs, r -> r.suggest().p50Ms(), base));
    growth.put("suggestP99", ratios(runs, r -> r.suggest().p99Ms(), base));
    return new Result(
        database,
        o.scheduler(),
        o.sampler(),
        o.probeSampler(),
        Runtime.getRuntime().availableProcessors(),
        o.leaseAhead().toMillis() / 1000.0,
        o.warmUp(),
        o.scheduler().equals("none")
            ? "trials × epochs × epochSeconds / N (scheduler none: every trial trains every epoch)"
            : "epochs trained (every rung's epochs, promotions included, as stored) × epochSeconds"
                + " / N",
        runs,
        growth);
  }

  private static Run failed(Options o, int n, String why) {
    Latency none = Latency.of(List.of());
    double nan = Double.NaN;
    int trials = o.trials() > 0 ? o.trials() : 2 * n;
    return new Run(
        n,
        null,
        trials,
        o.epochs(),
        o.epochSeconds(),
        0,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        0,
        Overhead.of(nan, nan, nan, nan),
        CriticalPath.NONE,
        Latency.of(List.of()),
        none,
        none,
        none,
        none,
        none,
        none,
        none,
        0,
        0,
        0,
        0,
        trials,
        false,
        why);
  }

  private static List<Double> ratios(
      List<Run> runs, java.util.function.ToDoubleFunction<Run> f, Run base) {
    double b = f.applyAsDouble(base);
    return runs.stream().map(r -> round(f.applyAsDouble(r) / b)).toList();
  }

  static String spec(Options o, int n, int trials) {
    int parallelism = Math.min(1024, o.parallelism() > 0 ? o.parallelism() : trials);
    String scheduler =
        o.scheduler().equals("none")
            ? "{type: none, maxEpochs: " + o.epochs() + "}"
            : "{type: " + o.scheduler() + ", minEpochs: 1, maxEpochs: " + o.epochs() + ", eta: 3}";
    return """
        name: bench-scale-n%d
        dataset: {name: synthetic, validationFraction: 0.1, trainLimit: 1000, testLimit: 100}
        model: mlp
        objectives: [{metric: val_accuracy, goal: maximize}]
        space:
          - {name: lr, type: float, low: 0.01, high: 0.3, log: true}
          - {name: momentum, type: float, low: 0.0, high: 0.9}
        fixed: {variant: sgd, batch-size: 128}
        sampler: {type: %s, seed: %d}
        scheduler: %s
        budget: {trials: %d, parallelism: %d, maxAttempts: 3}
        seed: 1
        """
        .formatted(n, o.sampler(), n, scheduler, trials, parallelism);
  }

  /** The samples the probes collect while a study runs. */
  private record Probes(
      Map<String, Long> decided, List<double[]> queueSamples, List<Double> suggestMs) {
    static Probes empty() {
      return new Probes(
          new ConcurrentHashMap<>(),
          java.util.Collections.synchronizedList(new ArrayList<>()),
          java.util.Collections.synchronizedList(new ArrayList<>()));
    }
  }

  /** One fleet size's study: its id, its start and when the store called it complete (s). */
  private record Study(int n, int trials, String id, long t0, double storeComplete) {}

  private Run runOne(Options o, int n) throws InterruptedException {
    int trials = o.trials() > 0 ? o.trials() : 2 * n;
    String prefix = "bench-n" + n + "-" + Long.toString(System.nanoTime() % 1_000_000L, 36) + "-";
    announce(o, n, trials);
    Probes probes = Probes.empty();
    try (SimulatedFleet fleet = fleet(o, prefix);
        KafkaConsumer<String, byte[]> decisions = decisionsConsumer()) {
      fleet.start(n);
      // every worker has asked for a lease before the study exists
      if (!fleet.awaitFirstRequests(Duration.ofSeconds(30 + n / 10))) {
        say.accept("N=" + n + ": not every worker asked for a lease within the wait; going on");
      }
      String[] studyHolder = new String[1];
      Flag running = new Flag();
      Thread consumer = decisionsProbe(decisions, studyHolder, running, probes.decided());
      long t0 = System.nanoTime();
      String id = createStudy(o, n, trials);
      studyHolder[0] = id;
      consumer.start();
      Thread sampler = queueProbe(o, n, t0, fleet, running, probes);
      sampler.start();
      double storeComplete = awaitStored(o, id, t0);
      settle(o, n, trials, id, storeComplete, probes.decided());
      running.value = false;
      sampler.join(5000);
      consumer.join(5000);
      fleet.close();
      return figures(o, new Study(n, trials, id, t0, storeComplete), fleet, probes);
    }
  }

  private void announce(Options o, int n, int trials) {
    say.accept(
        String.format(
            Locale.ROOT,
            "N=%d: %d trials × %d epochs of %.2f s (ideal %.1f s)",
            n,
            trials,
            o.epochs(),
            o.epochSeconds(),
            trials * o.epochs() * o.epochSeconds() / n));
  }

  private SimulatedFleet fleet(Options o, String prefix) {
    return new SimulatedFleet(
        storeUrl,
        Optional.empty(),
        bootstrap,
        workDir.resolve("checkpoints"),
        o.epochSeconds(),
        o.leaseWaitSeconds(),
        o.leaseAhead(),
        prefix);
  }

  /** Records when each of the study's rung decisions arrives on the decisions topic. */
  private static Thread decisionsProbe(
      KafkaConsumer<String, byte[]> decisions,
      String[] studyHolder,
      Flag running,
      Map<String, Long> decided) {
    return daemon(
        "bench-decisions",
        () -> {
          while (running.value) {
            for (ConsumerRecord<String, byte[]> rec : decisions.poll(Duration.ofMillis(50))) {
              long at = System.nanoTime();
              try {
                DecisionMessage m = Json.decode(rec.value(), DecisionMessage.class);
                if (m instanceof RungDecision d && d.studyId().equals(studyHolder[0])) {
                  decided.putIfAbsent(SimulatedFleet.key(d.trialId(), d.attempt(), d.epoch()), at);
                }
              } catch (RuntimeException e) {
                // not ours to judge
              }
            }
          }
        });
  }

  /** Creates the study, retrying a 5xx or an unreachable scheduler up to five times. */
  private String createStudy(Options o, int n, int trials) throws InterruptedException {
    String id = null;
    for (int attempt = 1; id == null; attempt++) {
      try {
        id = scheduler.create(spec(o, n, trials), "application/yaml").id();
      } catch (ApiException e) {
        if (attempt >= 5 || (e.status() > 0 && e.status() < 500)) {
          throw e;
        }
        Thread.sleep(2000);
      }
    }
    return id;
  }

  /** Samples the store's queue depth and the idle workers every 200 ms, a suggest every second. */
  private Thread queueProbe(
      Options o, int n, long t0, SimulatedFleet fleet, Flag running, Probes probes) {
    return daemon(
        "bench-queue",
        () -> {
          long nextSuggest = System.nanoTime();
          while (running.value) {
            try {
              long ts = System.nanoTime();
              QueueDepth q = control.get(ControlPaths.QUEUE, QueueDepth.class);
              int idle = n - fleet.busy();
              probes
                  .queueSamples()
                  .add(new double[] {(ts - t0) / 1e9, q.queued(), idle, fleet.heldAhead()});
              if (ts >= nextSuggest) {
                long s0 = System.nanoTime();
                samplerHttp.post(
                    "/v1/suggest",
                    "application/json",
                    suggestBody(o.probeSampler(), n)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                probes.suggestMs().add((System.nanoTime() - s0) / 1e6);
                nextSuggest = s0 + 1_000_000_000L;
              }
              Thread.sleep(200);
            } catch (InterruptedException e) {
              return;
            } catch (RuntimeException e) {
              // the store or sampler is busy: the next sample will tell
            }
          }
        });
  }

  /** Seconds from {@code t0} until the store calls the study ended; NaN past the timeout. */
  private double awaitStored(Options o, String id, long t0) throws InterruptedException {
    long deadline = System.nanoTime() + o.timeout().toNanos();
    while (System.nanoTime() < deadline) {
      String state;
      try {
        state = store.study(id).state();
      } catch (ApiException e) {
        // an overloaded store may answer 5xx for a while: ask again
        Thread.sleep(500);
        continue;
      }
      if (state.equals("completed") || state.equals("failed")) {
        return (System.nanoTime() - t0) / 1e9;
      }
      Thread.sleep(200);
    }
    return Double.NaN;
  }

  /** Cancels a study that timed out; otherwise waits up to 10 s for its last decisions. */
  private void settle(
      Options o, int n, int trials, String id, double storeComplete, Map<String, Long> decided)
      throws InterruptedException {
    if (Double.isNaN(storeComplete)) {
      say.accept("N=" + n + ": study " + id + " did not complete within " + o.timeout());
      try {
        scheduler.cancel(id);
      } catch (ApiException e) {
        say.accept("N=" + n + ": could not cancel study " + id + ": " + e.getMessage());
      }
    } else {
      // the decisions are published after their commit: wait for the last ones (scheduler
      // none: one per trial)
      long until = System.nanoTime() + 10_000_000_000L;
      while (decided.size() < trials && System.nanoTime() < until) {
        Thread.sleep(100);
      }
    }
  }

  /**
   * Each worker's held segments in start order: busy seconds within [t0, tEnd], the gaps between
   * consecutive segments (dispatch, end call, lease wait; ms) and the first lease (ms from t0).
   */
  private record WorkerTimes(
      double busy,
      List<Double> dispatch,
      List<Double> endCall,
      List<Double> leaseWait,
      List<Double> first,
      int startedAhead,
      List<Double> overrun,
      CriticalPath critical) {
    static WorkerTimes of(
        List<SimulatedFleet.Held> held,
        Map<String, SimulatedFleet.Sent> sent,
        long t0,
        long tEnd,
        double epochSeconds) {
      Map<String, List<SimulatedFleet.Sent>> sentByTrial = new HashMap<>();
      for (SimulatedFleet.Sent x : sent.values()) {
        sentByTrial.computeIfAbsent(x.trialId(), k -> new ArrayList<>()).add(x);
      }
      Map<Integer, List<SimulatedFleet.Held>> byWorker = new HashMap<>();
      for (SimulatedFleet.Held h : held) {
        byWorker.computeIfAbsent(h.worker(), k -> new ArrayList<>()).add(h);
      }
      double busy = 0;
      List<Double> dispatch = new ArrayList<>();
      List<Double> endCall = new ArrayList<>();
      List<Double> leaseWait = new ArrayList<>();
      List<Double> first = new ArrayList<>();
      int startedAhead = 0;
      List<Double> overrun = new ArrayList<>();
      CriticalPath critical = CriticalPath.NONE;
      long lastEnd = Long.MIN_VALUE;
      for (List<SimulatedFleet.Held> hs : byWorker.values()) {
        hs.sort((a, b) -> Long.compare(a.startedNanos(), b.startedNanos()));
        for (SimulatedFleet.Held h : hs) {
          overrun.add((h.endedNanos() - h.startedNanos()) / 1e6 - h.epochs() * epochSeconds * 1e3);
        }
        long end = hs.get(hs.size() - 1).endedNanos();
        if (end > lastEnd) {
          lastEnd = end;
          critical = criticalPath(hs, sentByTrial, t0, tEnd, epochSeconds);
        }
        first.add((hs.get(0).receivedNanos() - t0) / 1e6);
        for (int i = 0; i < hs.size(); i++) {
          SimulatedFleet.Held h = hs.get(i);
          startedAhead += h.ahead() ? 1 : 0;
          long from = Math.max(h.startedNanos(), t0);
          long to = Math.min(freed(hs, i), tEnd);
          busy += Math.max(0, to - from) / 1e9;
          if (i > 0) {
            SimulatedFleet.Held before = hs.get(i - 1);
            long freed = freed(hs, i - 1);
            dispatch.add((h.startedNanos() - freed) / 1e6);
            endCall.add(Math.max(0, before.endCalledNanos() - freed) / 1e6);
            leaseWait.add(Math.max(0, h.startedNanos() - before.endCalledNanos()) / 1e6);
          }
        }
      }
      return new WorkerTimes(
          busy, dispatch, endCall, leaseWait, first, startedAhead, overrun, critical);
    }

    /**
     * When the worker was free of its {@code i}-th segment: the segment's end (its last report
     * acknowledged), or the next segment's start when that came first (a segment held ahead starts
     * as the training before it ends, and that one's last acknowledgement comes aside).
     */
    private static long freed(List<SimulatedFleet.Held> hs, int i) {
      long ended = hs.get(i).endedNanos();
      return i + 1 < hs.size() ? Math.min(ended, hs.get(i + 1).startedNanos()) : ended;
    }

    /** One worker's segments, by start, as a {@link CriticalPath}. */
    private static CriticalPath criticalPath(
        List<SimulatedFleet.Held> hs,
        Map<String, List<SimulatedFleet.Sent>> sentByTrial,
        long t0,
        long tEnd,
        double epochSeconds) {
      int epochs = 0;
      double training = 0;
      double overrun = 0;
      double lastReportWait = 0;
      double gaps = 0;
      for (int i = 0; i < hs.size(); i++) {
        SimulatedFleet.Held h = hs.get(i);
        epochs += h.epochs();
        double set = h.epochs() * epochSeconds;
        training += set;
        long freed = freed(hs, i);
        overrun += (freed - h.startedNanos()) / 1e9 - set;
        // the segment's last report: its trial's last one sent within the segment
        long lastSent = Long.MIN_VALUE;
        for (SimulatedFleet.Sent x : sentByTrial.getOrDefault(h.trialId(), List.of())) {
          if (x.sentNanos() >= h.startedNanos() && x.sentNanos() <= h.endedNanos()) {
            lastSent = Math.max(lastSent, x.sentNanos());
          }
        }
        if (lastSent != Long.MIN_VALUE) {
          lastReportWait += Math.max(0, freed - lastSent) / 1e9;
        }
        if (i > 0) {
          gaps += (h.startedNanos() - freed(hs, i - 1)) / 1e9;
        }
      }
      return new CriticalPath(
          hs.size(),
          epochs,
          round((hs.get(0).startedNanos() - t0) / 1e9),
          round(training),
          round(overrun),
          round(lastReportWait),
          round(gaps),
          round((tEnd - hs.get(hs.size() - 1).endedNanos()) / 1e9));
    }
  }

  /**
   * Idle worker-seconds within the makespan, from the queue samples: while a segment was queued,
   * and while a segment was held ahead, unstarted, with none queued for the idle.
   */
  private record IdleWorkerSeconds(double queued, double heldAhead) {
    static IdleWorkerSeconds of(List<double[]> queueSamples, double makespan) {
      double idleQueuedWorkerSeconds = 0;
      double idleHeldAheadWorkerSeconds = 0;
      for (int i = 1; i < queueSamples.size(); i++) {
        double[] s = queueSamples.get(i);
        double dt = s[0] - queueSamples.get(i - 1)[0];
        if (s[0] <= makespan) {
          idleQueuedWorkerSeconds += Math.min(s[1], s[2]) * dt;
          // idle while a segment is held ahead, unstarted, and none is queued for the idle
          idleHeldAheadWorkerSeconds += Math.min(s[3], Math.max(0, s[2] - s[1])) * dt;
        }
      }
      return new IdleWorkerSeconds(idleQueuedWorkerSeconds, idleHeldAheadWorkerSeconds);
    }
  }

  /** The store's epochs: how many, how many stored twice, how many trials are incomplete. */
  private record StoreCheck(int trialsStored, int epochsStored, int duplicated, int incomplete) {
    static StoreCheck of(Options o, List<TrialView> stored) {
      int epochsStored = 0;
      int duplicated = 0;
      int incomplete = 0;
      for (TrialView t : stored) {
        Set<String> keys = new HashSet<>();
        List<Integer> epochs = new ArrayList<>();
        for (EpochView e : t.epochs()) {
          epochsStored++;
          if (!keys.add(e.attempt() + "#" + e.epoch())) {
            duplicated++;
          }
          epochs.add(e.epoch());
        }
        int[] got = epochs.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        int top = o.scheduler().equals("none") ? o.epochs() : got.length;
        int[] want = java.util.stream.IntStream.rangeClosed(1, top).toArray();
        if (!"completed".equals(t.state()) || !Arrays.equals(got, want)) {
          incomplete++;
        }
      }
      return new StoreCheck(stored.size(), epochsStored, duplicated, incomplete);
    }
  }

  private Run figures(Options o, Study study, SimulatedFleet fleet, Probes probes) {
    List<SimulatedFleet.Held> held = fleet.held();
    Map<String, SimulatedFleet.Sent> sent = fleet.sent();
    long t0 = study.t0();
    long tEnd = sent.values().stream().mapToLong(SimulatedFleet.Sent::ackedNanos).max().orElse(t0);
    // no report acknowledged at all: there is no makespan to speak of
    double makespan = sent.isEmpty() ? Double.NaN : (tEnd - t0) / 1e9;
    WorkerTimes w = WorkerTimes.of(held, sent, t0, tEnd, o.epochSeconds());
    IdleWorkerSeconds idleSeconds = IdleWorkerSeconds.of(probes.queueSamples(), makespan);
    List<Double> toDecision = toDecision(probes.decided(), sent);
    List<Double> acks =
        sent.values().stream().map(s -> (s.ackedNanos() - s.sentNanos()) / 1e6).toList();
    double lastReport =
        sent.values().stream()
            .filter(s -> s.ackedNanos() == tEnd)
            .mapToDouble(s -> (s.ackedNanos() - s.sentNanos()) / 1e9)
            .findFirst()
            .orElse(Double.NaN);
    // every epoch stored exactly once, as the store's REST shows it
    StoreCheck check = StoreCheck.of(o, allTrialsPatiently(study.id()));
    Measured m = new Measured(sent.size(), makespan, lastReport, w, idleSeconds, toDecision, acks);
    Run r = assemble(o, study, fleet, probes.suggestMs(), m, check);
    sayFigures(r);
    return r;
  }

  /** What {@link #figures} measured from the fleet's records and the probes' samples. */
  private record Measured(
      int trained,
      double makespan,
      double lastReport,
      WorkerTimes workers,
      IdleWorkerSeconds idle,
      List<Double> toDecision,
      List<Double> acks) {}

  private static Run assemble(
      Options o,
      Study study,
      SimulatedFleet fleet,
      List<Double> suggestMs,
      Measured m,
      StoreCheck check) {
    int n = study.n();
    int trials = study.trials();
    double makespan = m.makespan();
    WorkerTimes w = m.workers();
    int trained = m.trained();
    boolean once =
        check.trialsStored() == trials
            && check.duplicated() == 0
            && check.incomplete() == 0
            && (o.scheduler().equals("none") ? check.epochsStored() == trials * o.epochs() : true)
            && check.epochsStored() == trained;
    double ideal =
        (o.scheduler().equals("none") ? trials * o.epochs() : check.epochsStored())
            * o.epochSeconds()
            / n;
    double idle = makespan > 0 ? 1 - w.busy() / (n * makespan) : Double.NaN;
    return new Run(
        n,
        study.id(),
        trials,
        o.epochs(),
        o.epochSeconds(),
        trained,
        round(ideal),
        round(makespan),
        round(makespan / ideal),
        round(study.storeComplete()),
        round(idle),
        round(makespan > 0 ? m.idle().queued() / (n * makespan) : Double.NaN),
        round(makespan > 0 ? m.idle().heldAhead() / (n * makespan) : Double.NaN),
        w.startedAhead(),
        Overhead.of(makespan, ideal, Latency.of(w.first()).p50Ms() / 1000, m.lastReport()),
        w.critical(),
        Latency.of(w.overrun()),
        Latency.of(w.dispatch()),
        Latency.of(w.endCall()),
        Latency.of(w.leaseWait()),
        Latency.of(w.first()),
        Latency.of(m.toDecision()),
        Latency.of(m.acks()),
        Latency.of(suggestMs),
        fleet.lost(),
        fleet.errors(),
        check.epochsStored(),
        check.duplicated(),
        check.incomplete(),
        once,
        Double.isNaN(study.storeComplete())
            ? "the study did not complete within " + o.timeout().toSeconds() + " s"
            : null);
  }

  private void sayFigures(Run r) {
    say.accept(
        String.format(
            Locale.ROOT,
            "N=%d: makespan %.1f s (ideal %.1f s, ×%.3f), idle %.1f%%, dispatch p50 %.0f ms,"
                + " decision p50 %.0f ms, every epoch once: %s",
            r.workers(),
            r.makespanSeconds(),
            r.idealSeconds(),
            r.makespanOverIdeal(),
            100 * r.idleFraction(),
            r.dispatch().p50Ms(),
            r.reportToDecision().p50Ms(),
            r.everyEpochStoredOnce()));
  }

  private static List<Double> toDecision(
      Map<String, Long> decided, Map<String, SimulatedFleet.Sent> sent) {
    List<Double> toDecision = new ArrayList<>();
    for (Map.Entry<String, Long> d : decided.entrySet()) {
      SimulatedFleet.Sent s = sent.get(d.getKey());
      if (s != null) {
        toDecision.add((d.getValue() - s.sentNanos()) / 1e6);
      }
    }
    return toDecision;
  }

  /** A suggest request like the scheduler's: the study's space, 64 observations, one point. */
  static String suggestBody(String sampler, int seed) {
    StringBuilder obs = new StringBuilder();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    for (int i = 0; i < 64; i++) {
      if (i > 0) {
        obs.append(',');
      }
      double lr = Math.exp(Math.log(0.01) + rnd.nextDouble() * Math.log(30));
      double m = 0.9 * rnd.nextDouble();
      obs.append(
          String.format(
              Locale.ROOT,
              "{\"params\":{\"lr\":%.6f,\"momentum\":%.6f},\"values\":[%.6f]}",
              lr,
              m,
              0.9 - Math.abs(Math.log(lr / 0.1)) * 0.1 - m * 0.05));
    }
    return """
        {"space":{"params":[{"name":"lr","type":"float","low":0.01,"high":0.3,"log":true},\
        {"name":"momentum","type":"float","low":0.0,"high":0.9}]},\
        "objectives":[{"name":"val_accuracy","goal":"maximize"}],\
        "sampler":{"type":"%s","seed":%d},"observations":[%s],"count":1}"""
        .formatted(sampler, seed, obs);
  }

  private KafkaConsumer<String, byte[]> decisionsConsumer() {
    return DecisionsTail.atEnd(bootstrap, "bench-scale-decisions");
  }

  /** A GET that an overloaded store may answer 5xx for a while: up to ten tries. */
  private List<TrialView> allTrialsPatiently(String id) {
    for (int i = 1; ; i++) {
      try {
        return store.allTrials(id, TrialEpochs.ALL);
      } catch (ApiException e) {
        if (i >= 10 || (e.status() > 0 && e.status() < 500)) {
          throw e;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
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

  static double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    return Math.round(v * 1000.0) / 1000.0;
  }
}
