package io.sharpsweep.worker;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.protocol.control.LeaseEnd;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.service.auth.ServiceToken;
import io.sharpsweep.worker.engine.CheckpointStore;
import io.sharpsweep.worker.engine.EpochListener;
import io.sharpsweep.worker.engine.SegmentStoppedException;
import io.sharpsweep.worker.lease.ControlClient;
import io.sharpsweep.worker.lease.ControlException;
import io.sharpsweep.worker.lease.LeaseAhead;
import io.sharpsweep.worker.lease.LeaseSession;
import io.sharpsweep.worker.lease.LeaseSession.Progress;
import io.sharpsweep.worker.lease.ReportPipeline;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Pulls segments from the results-store and trains them, one at a time, on one dedicated
 * (non-daemon) thread started with the application:
 *
 * <ol>
 *   <li>{@code POST /v1/leases} (long poll of {@code lease-wait}): 200 is a lease to train, 204
 *       means ask again; an unreachable store or a 5xx is retried with a back-off from 0.5 s
 *       doubling to 5 s, logged once per outage.
 *   <li>While the segment trains, a scheduled thread renews the lease every {@code heartbeatMillis}
 *       with the last checkpointed epoch, and once more as soon as an epoch's report is
 *       acknowledged. An epoch's report is sent once its checkpoint is written and the next epoch
 *       trains while the broker acknowledges it ({@link ReportPipeline}: one report in flight, in
 *       epoch order). Each report names the lease, so that the store drops it if it arrives after
 *       the lease ended and another lease trains its epoch again. A 409 means the lease is lost; no
 *       successful renewal for the TTL less a margin ({@link LeaseSession}) means it may be; either
 *       way training stops at the next batch, nothing more is published for the segment and the
 *       lease is not ended by this worker.
 *   <li>The segment ends with {@code complete} (after the broker acknowledged its last report; the
 *       same request asks for the next lease, so a freed worker joins the store's line at once),
 *       {@code fail} (with the one-line reason: a bad assignment or knob, a missing file, a
 *       diverging loss, running out of memory, …) or {@code release} (shutdown). Each of these is
 *       retried until the store answers or the lease is lost.
 *   <li>Lease ahead ({@code lease-ahead}, {@link LeaseAhead}): once the segment's expected
 *       remaining time falls below the window, the worker asks for its next segment without
 *       waiting; a lease granted ahead is heartbeated alongside the current one (as not started),
 *       and when the current segment's training ends the worker starts the ahead segment at once
 *       and renews its lease at once as started, while another thread waits for the ended segment's
 *       last acknowledgement, sends its {@code complete} (plain) and stops renewing its lease only
 *       then: an ahead lease that expires unstarted is queued again uncharged, a started one is
 *       charged as any other.
 * </ol>
 *
 * <p>On shutdown ({@code SIGTERM}) the loop takes no new lease, stops the segment at the next
 * batch, releases it with its last checkpointed epoch (and hands back a lease held ahead) and
 * returns within {@code shutdown-grace}.
 */
@ApplicationScoped
public class LeaseLoop {
  private static final Logger LOG = Logger.getLogger(LeaseLoop.class);
  static final String SHUTDOWN_REASON = "worker shutting down";
  private static final long RETRY_MIN_MILLIS = 500;
  private static final long RETRY_MAX_MILLIS = 5000;

  private final TrainingService training;
  private final ReportPublisher publisher;
  private final WorkerMetrics metrics;
  private final WorkerConfig config;
  private final ControlClient client;
  private final ScheduledExecutorService heartbeats;
  private final ScheduledThreadPoolExecutor aheadThreads;
  private final LeaseAhead ahead;
  private final Object wake = new Object();
  private volatile boolean stopping;
  private volatile long shutdownDeadline = Long.MAX_VALUE;
  private volatile LeaseSession current;

  /** Segments whose training is over, ending on another thread while the next one trains. */
  private final Set<LeaseSession> ending = ConcurrentHashMap.newKeySet();

  private volatile Thread thread;
  private volatile Throwable died;

  @Inject
  public LeaseLoop(
      TrainingService training,
      ReportPublisher publisher,
      WorkerMetrics metrics,
      WorkerConfig config,
      ServiceToken token) {
    this.training = training;
    this.publisher = publisher;
    this.metrics = metrics;
    this.config = config;
    this.client = new ControlClient(config.controlUrl(), token.value(), config.controlTimeout());
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sharpsweep-heartbeat");
              t.setDaemon(true);
              return t;
            });
    // requests ahead, and the ends of segments (a wait for the last report's acknowledgement,
    // then the complete) while the next one trains
    this.aheadThreads =
        new ScheduledThreadPoolExecutor(
            3,
            r -> {
              Thread t = new Thread(r, "sharpsweep-lease-ahead");
              t.setDaemon(true);
              return t;
            });
    this.ahead =
        new LeaseAhead(
            () -> client.acquireAhead(training.workerId()),
            config.leaseAhead(),
            aheadThreads,
            this::heartbeat,
            s -> end(s, "release", "lease held ahead handed back unstarted", false));
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  /** Runs before the other shutdown observers, while the Kafka emitter is still open. */
  void onStop(@Observes @Priority(10) ShutdownEvent event) {
    shutdown();
  }

  @PreDestroy
  void destroy() {
    shutdown();
  }

  synchronized void start() {
    if (thread != null) {
      return;
    }
    Thread t = new Thread(this::run, "sharpsweep-lease-loop");
    t.setDaemon(false);
    t.setUncaughtExceptionHandler(
        (th, e) -> {
          died = e;
          LOG.errorf(e, "the lease loop died");
        });
    thread = t;
    t.start();
    LOG.infof(
        "worker %s: leasing segments from %s (wait %s, shutdown grace %s)",
        training.workerId(), client.baseUrl(), config.leaseWait(), config.shutdownGrace());
  }

  /** The control API's client (for the readiness check). */
  ControlClient client() {
    return client;
  }

  /** The lease being worked on, or null. */
  LeaseSession current() {
    return current;
  }

  /** Whether the loop is running as it should: started and alive, or stopped on purpose. */
  boolean healthy() {
    Thread t = thread;
    return died == null && t != null && (t.isAlive() || stopping);
  }

  String state() {
    Thread t = thread;
    if (died != null) {
      return "died: " + died;
    }
    if (t == null) {
      return "not started";
    }
    if (stopping) {
      return t.isAlive() ? "stopping" : "stopped";
    }
    return current == null ? "waiting for a lease" : "training";
  }

  private void run() {
    long backoff = RETRY_MIN_MILLIS;
    // The first request does not wait, so that readiness (the store answered) is known at once.
    int wait = 0;
    String lastRejection = null;
    LeaseSession next = null;
    while (!stopping) {
      try {
        if (next != null) {
          LeaseSession n = next;
          next = null;
          next = handle(n);
          continue;
        }
        Optional<Lease> lease = client.acquire(training.workerId(), wait);
        wait = longPoll();
        // A long poll may have waited for seconds before the store granted the lease, so the
        // lease's clock starts when its answer arrived; the fencing margin covers the transit.
        long received = System.nanoTime();
        backoff = RETRY_MIN_MILLIS;
        lastRejection = null;
        if (lease.isPresent()) {
          next = handle(new LeaseSession(lease.get(), received));
        }
        continue;
      } catch (ControlException e) {
        if (!e.retryable() && !Objects.equals(lastRejection, e.getMessage())) {
          // The client logs outages; a refusal (a 4xx) is logged here, once per distinct answer.
          LOG.warnf("lease request refused: %s; retrying", e.getMessage());
          lastRejection = e.getMessage();
        }
      } catch (Throwable e) {
        // Nothing may end this thread: log, free what can be freed, and ask again.
        LOG.errorf(e, "lease loop: unexpected %s; going on", e.getClass().getSimpleName());
        if (e instanceof Error) {
          System.gc();
        }
      }
      pause(backoff);
      backoff = Math.min(RETRY_MAX_MILLIS, backoff * 2);
    }
    if (next != null) {
      handle(next); // stopping: hands it back at once
    }
    LOG.info("lease loop stopped");
  }

  private int longPoll() {
    return (int) Math.max(0, Math.min(30, config.leaseWait().toSeconds()));
  }

  /** Waits up to {@code millis}, waking early when the worker starts shutting down. */
  private void pause(long millis) {
    synchronized (wake) {
      if (stopping) {
        return;
      }
      try {
        wake.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Trains the leased segment and ends its lease; returns the next lease: the one held ahead, or
   * the one the end brought.
   */
  private LeaseSession handle(LeaseSession s) {
    Lease lease = s.lease();
    metrics.lease("acquired");
    current = s;
    ScheduledFuture<?> beat = null;
    try {
      SegmentAssignment a = lease.assignment();
      LOG.infof(
          "lease %s: segment %s (ttl %d ms, heartbeat every %d ms)",
          lease.leaseId(),
          a == null ? "?" : a.segmentKey(),
          lease.ttlMillis(),
          lease.heartbeatMillis());
      if (stopping) {
        s.requestStop(SHUTDOWN_REASON);
        end(s, "release", SHUTDOWN_REASON, false);
        return null;
      }
      long period = LeaseAhead.heartbeatPeriod(lease);
      // a lease held ahead starts now: the store learns it from a renewal sent at once, so that it
      // charges an expiry from here on as any other (docs/control-plane.md, "Lease ahead")
      long first = s.start() ? 0 : s.nextRenewalMillis(period);
      beat =
          heartbeats.scheduleAtFixedRate(() -> heartbeat(s), first, period, TimeUnit.MILLISECONDS);
      // Tell the store of each acknowledged checkpoint now rather than at the next tick: if this
      // worker dies before then, the segment resumes from it instead of being charged as lost.
      ReportPipeline reports =
          new ReportPipeline(
              s,
              publisher::send,
              p -> heartbeats.execute(() -> heartbeat(s)),
              config.reportTimeout());
      ahead.segmentStarted(a, System.nanoTime());
      SegmentOutcome outcome =
          a == null
              ? new SegmentOutcome.Failed("invalid lease: it carries no segment assignment")
              : training.run(a, s, listener(s, a, reports));
      ahead.segmentEnded(config.controlTimeout());
      Optional<LeaseSession> held = ahead.take();
      if (held.isPresent() && !stopping) {
        // the next segment is here already and starts now: this one ends on another thread once
        // the broker acknowledged its last report, its lease renewed until then
        ScheduledFuture<?> renewing = beat;
        beat = null;
        endAside(s, outcome, reports, renewing);
        return held.get();
      }
      LeaseSession next = finish(s, settled(outcome, reports), held.isEmpty());
      return held.orElse(next);
    } finally {
      if (beat != null) {
        beat.cancel(false);
      }
      current = null;
    }
  }

  /**
   * Ends a segment whose training is over while the worker trains its next one: waits for its last
   * report's acknowledgement, then ends its lease, then stops renewing it. Shutdown asks it to stop
   * as it asks the current segment ({@link #ending}).
   */
  private void endAside(
      LeaseSession s, SegmentOutcome outcome, ReportPipeline reports, ScheduledFuture<?> renewing) {
    ending.add(s);
    Runnable end =
        () -> {
          try {
            finish(s, settled(outcome, reports), false);
          } finally {
            renewing.cancel(false);
            ending.remove(s);
          }
        };
    try {
      aheadThreads.execute(end);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      end.run(); // shutting down meanwhile
    }
  }

  /**
   * Waits for the segment's report still in flight: a segment is complete only once the broker
   * acknowledged its last report, and a hand-back carries the latest acknowledged epoch.
   */
  private static SegmentOutcome settled(SegmentOutcome outcome, ReportPipeline reports) {
    try {
      reports.drain();
      return outcome;
    } catch (SegmentStoppedException e) {
      LOG.infof("%s", e.getMessage());
      return outcome instanceof SegmentOutcome.Completed
          ? new SegmentOutcome.Stopped(e.getMessage())
          : outcome;
    }
  }

  /** Ends the lease as its outcome says; {@code askNext}: the complete asks for the next lease. */
  private LeaseSession finish(LeaseSession s, SegmentOutcome outcome, boolean askNext) {
    if (s.lost()) {
      LOG.warnf("lease %s was lost: nothing more is sent for it", s.leaseId());
      return null;
    }
    if (outcome instanceof SegmentOutcome.Completed c) {
      EpochReport last = c.result().last();
      s.progress(new Progress(last.epoch(), last.checkpointUri()));
      return end(s, "complete", null, askNext);
    } else if (outcome instanceof SegmentOutcome.Failed f) {
      end(s, "fail", f.reason(), false);
    } else if (outcome instanceof SegmentOutcome.Stopped st) {
      if (s.stopAsked()) {
        end(s, "release", s.stopReason(), false);
      } else if (s.fenced()) {
        if (s.firstLoss()) {
          metrics.lease("lost");
        }
        LOG.warnf(
            "lease %s could not be renewed in time: the segment stopped and the lease is left to"
                + " expire",
            s.leaseId());
      } else {
        end(s, "release", st.message(), false);
      }
    }
    return null;
  }

  /**
   * Hands each report to the pipeline, which sends it while the next epoch trains (and again while
   * the broker is away) and records the progress once it is acknowledged.
   */
  private EpochListener listener(LeaseSession s, SegmentAssignment a, ReportPipeline reports) {
    // Only a checkpoint that can be resumed from is progress: a segment's intermediate checkpoints
    // lose their tensors when it ends, so a re-sent report may point at one.
    return (report, stats) -> {
      ahead.epochEnded(System.nanoTime());
      reports.submit(
          report.underLease(s.leaseId()),
          report.epoch() == a.toEpoch()
              || CheckpointStore.hasTensors(CheckpointStore.directoryOf(report.checkpointUri())));
    };
  }

  private void heartbeat(LeaseSession s) {
    try {
      if (s.lost() || s.endClaimed()) {
        return; // nothing to renew: the lease is gone or being ended
      }
      long sent = System.nanoTime();
      try {
        ControlClient.Renewal r =
            client.heartbeat(
                s.leaseId(), s.heartbeat(training.workerId()), heartbeatTimeout(s.lease()));
        if (r.answer() == ControlClient.Answer.OK) {
          s.renewed(sent);
        } else if (s.endClaimed()) {
          return; // the segment ended while this renewal was in flight: not a loss
        } else {
          s.markLost();
          if (s.firstLoss()) {
            metrics.lease("lost");
            LOG.warnf(
                "lease %s lost (the store answered 409): stopping its segment at the next batch",
                s.leaseId());
          }
        }
      } catch (ControlException e) {
        if (!e.retryable()) {
          LOG.warnf("heartbeat of lease %s refused: %s", s.leaseId(), e.getMessage());
        }
        // Otherwise the client logged the outage; the next tick tries again.
      }
      if (!s.lost() && s.fenced() && s.firstLoss()) {
        metrics.lease("lost");
        LOG.warnf(
            "lease %s: no renewal for %d ms of its %d ms TTL: stopping its segment at the next"
                + " batch",
            s.leaseId(),
            s.lease().ttlMillis() - LeaseSession.margin(s.lease().ttlMillis()),
            s.lease().ttlMillis());
      }
    } catch (RuntimeException e) {
      LOG.warnf(e, "heartbeat of lease %s failed", s.leaseId());
    }
  }

  private Duration heartbeatTimeout(Lease lease) {
    long millis = Math.max(1000, Math.min(lease.heartbeatMillis(), lease.ttlMillis() / 2));
    Duration d = Duration.ofMillis(millis);
    return d.compareTo(config.controlTimeout()) > 0 ? config.controlTimeout() : d;
  }

  /**
   * Ends the lease with {@code complete}, {@code release} or {@code fail}, retrying until the store
   * answers, the lease is lost, or (when shutting down) the grace runs out. A {@code complete} with
   * {@code askNext} asks for the next lease in the same request unless the worker is shutting down;
   * returns it, if the store granted one.
   */
  private LeaseSession end(LeaseSession s, String kind, String reason, boolean askNext) {
    if (!s.claimEnd()) {
      return null;
    }
    Progress p = s.progress();
    LeaseEnd body = new LeaseEnd(training.workerId(), p.epoch(), p.checkpointUri(), reason);
    long backoff = RETRY_MIN_MILLIS;
    while (true) {
      if (s.lost()) {
        LOG.warnf("lease %s was lost before its %s was recorded", s.leaseId(), kind);
        return null;
      }
      try {
        ControlClient.Answer answer;
        Optional<Lease> next = Optional.empty();
        if (kind.equals("complete") && askNext && !stopping) {
          ControlClient.Completion c = client.complete(s.leaseId(), body, longPoll());
          answer = c.answer();
          next = c.next();
        } else {
          answer = client.end(s.leaseId(), kind, body);
        }
        long received = System.nanoTime();
        if (answer == ControlClient.Answer.OK) {
          metrics.lease(pastTense(kind));
          LOG.infof(
              "lease %s %s at epoch %s%s",
              s.leaseId(),
              pastTense(kind),
              p.epoch() == null ? "-" : p.epoch().toString(),
              reason == null ? "" : ": " + reason);
        } else {
          s.markLost();
          if (s.firstLoss()) {
            metrics.lease("lost");
          }
          LOG.warnf("lease %s: %s answered 409, the lease is no longer ours", s.leaseId(), kind);
        }
        return next.map(l -> new LeaseSession(l, received)).orElse(null);
      } catch (ControlException e) {
        if (!e.retryable()) {
          LOG.errorf("%s: giving up, the lease will expire on the store", e.getMessage());
          return null;
        }
      }
      if (stopping && System.nanoTime() + backoff * 1_000_000L > shutdownDeadline) {
        LOG.warnf(
            "lease %s: the store did not answer %s before the shutdown grace ran out",
            s.leaseId(), kind);
        return null;
      }
      sleep(backoff);
      backoff = Math.min(RETRY_MAX_MILLIS, backoff * 2);
    }
  }

  private static String pastTense(String kind) {
    return switch (kind) {
      case "complete" -> "completed";
      case "release" -> "released";
      case "fail" -> "failed";
      default -> kind;
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops taking leases, asks the current segment to stop at the next batch, waits for it to be
   * released, and returns within {@code shutdown-grace}. If the segment does not stop in time (a
   * long batch, a report the broker does not acknowledge), the lease is released from here with the
   * last checkpointed epoch. Idempotent.
   */
  void shutdown() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    long start = System.nanoTime();
    long grace = config.shutdownGrace().toNanos();
    shutdownDeadline = start + grace;
    LeaseSession s = current;
    if (s != null) {
      LOG.infof("shutting down: stopping lease %s at the next batch to hand it back", s.leaseId());
      s.requestStop(SHUTDOWN_REASON);
    }
    // a segment still waiting for its last report's acknowledgement hands back what was
    // acknowledged
    ending.forEach(e -> e.requestStop(SHUTDOWN_REASON));
    ahead.close();
    synchronized (wake) {
      wake.notifyAll();
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      long reserve = Math.min(TimeUnit.SECONDS.toNanos(2), grace / 4);
      try {
        TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, grace - reserve));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        LeaseSession still = current;
        if (still != null && still.claimEnd()) {
          Progress p = still.progress();
          try {
            client.end(
                still.leaseId(),
                "release",
                new LeaseEnd(training.workerId(), p.epoch(), p.checkpointUri(), SHUTDOWN_REASON),
                Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(200), reserve)));
            metrics.lease("released");
            LOG.infof("lease %s released from the shutdown hook", still.leaseId());
          } catch (ControlException e) {
            LOG.warnf("lease %s could not be released: %s", still.leaseId(), e.getMessage());
          }
        }
        LOG.warnf("the lease loop did not stop within %s; exiting anyway", config.shutdownGrace());
      }
    }
    aheadThreads.shutdown(); // a complete sent on it may still be on its way
    try {
      aheadThreads.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    aheadThreads.shutdownNow();
    heartbeats.shutdownNow();
    LOG.infof("lease loop shut down in %.1f s", (System.nanoTime() - start) / 1e9);
  }
}
