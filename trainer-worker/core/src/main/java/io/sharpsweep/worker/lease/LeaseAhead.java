package io.sharpsweep.worker.lease;

import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A worker's lease on its next segment, asked for while the current one still trains
 * (docs/control-plane.md, "Lease ahead"). Once the current segment's expected remaining time falls
 * below {@code window} (its epochs left times the mean epoch time this worker measured), it sends
 * one request ahead ({@link ControlClient#acquireAhead}); the store grants it only when no idle
 * worker waits. A lease so granted is a normal lease: it is heartbeated from its arrival (by {@code
 * heartbeat}, as the current one is, saying it is not started: {@link LeaseSession#ahead}), and
 * {@link #take()} hands it to the training loop when the current segment ends; the loop starts it
 * ({@link LeaseSession#start()}) and renews it at once. A lease held ahead for longer than twice
 * the window (the current segment ran late) is handed back (by {@code handBack}), so an idle worker
 * waits for it at most that long.
 *
 * <p>One instance per worker; the training thread calls {@link #segmentStarted}, {@link
 * #epochEnded}, {@link #segmentEnded} and {@link #take}, the timer's thread asks and heartbeats.
 */
public final class LeaseAhead {
  private static final Logger LOG = Logger.getLogger(LeaseAhead.class);

  /** Asks the store for a lease ahead: the lease, or empty (204). */
  @FunctionalInterface
  public interface Requester {
    Optional<Lease> ask() throws ControlException;
  }

  /** A lease held ahead, with its heartbeat and its hand-back timer. */
  private record Held(LeaseSession session, ScheduledFuture<?> beat, ScheduledFuture<?> limit) {
    void stopTimers() {
      beat.cancel(false);
      limit.cancel(false);
    }
  }

  private final Requester requester;
  private final long windowNanos;
  private final ScheduledExecutorService timer;
  private final Consumer<LeaseSession> heartbeat;
  private final Consumer<LeaseSession> handBack;
  private final AtomicReference<Held> held = new AtomicReference<>();
  private long epochNanosSum;
  private long epochCount;
  private int epochsLeft;
  private long lastEpochEndNanos;
  private ScheduledFuture<?> pendingAsk;
  private Future<?> asking;
  private volatile boolean closed;

  /**
   * @param window ask when the current segment's expected remaining time falls below it; zero
   *     disables
   * @param timer runs the request ahead, the held lease's heartbeats and its hand-back
   * @param heartbeat renews a lease (the worker's own renewal, which marks the session lost on 409)
   * @param handBack releases a lease held ahead for too long, or when the worker shuts down
   */
  public LeaseAhead(
      Requester requester,
      Duration window,
      ScheduledExecutorService timer,
      Consumer<LeaseSession> heartbeat,
      Consumer<LeaseSession> handBack) {
    this.requester = requester;
    this.windowNanos = Math.max(0, window.toNanos());
    this.timer = timer;
    this.heartbeat = heartbeat;
    this.handBack = handBack;
  }

  /** Whether the worker asks ahead at all. */
  public boolean enabled() {
    return windowNanos > 0;
  }

  /** The current segment starts now: its epochs are counted down from here. */
  public synchronized void segmentStarted(SegmentAssignment a, long nowNanos) {
    epochsLeft = a == null ? 0 : Math.max(0, a.toEpoch() - a.fromEpoch());
    if (asking != null && asking.isDone()) {
      asking = null; // the segment before ended without segmentEnded (it threw)
    }
    lastEpochEndNanos = nowNanos;
    schedule();
  }

  /** An epoch of the current segment ended at {@code nowNanos} (its checkpoint written). */
  public synchronized void epochEnded(long nowNanos) {
    epochNanosSum += Math.max(0, nowNanos - lastEpochEndNanos);
    epochCount++;
    epochsLeft = Math.max(0, epochsLeft - 1);
    lastEpochEndNanos = nowNanos;
    schedule();
  }

  /**
   * The current segment ended (or stopped): no request ahead is sent from now on, and one in flight
   * is waited for (it does not wait on the store, so only for its answer).
   */
  public void segmentEnded(Duration patience) {
    Future<?> inFlight;
    synchronized (this) {
      cancelPendingAsk();
      inFlight = asking;
      asking = null;
    }
    if (inFlight != null) {
      try {
        inFlight.get(patience.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException
          | TimeoutException
          | java.util.concurrent.CancellationException e) {
        LOG.debugf("request ahead did not finish: %s", e.toString());
      }
    }
  }

  /** The lease held ahead, now the worker's to train (its timers stopped), or empty. */
  public Optional<LeaseSession> take() {
    Held h = held.getAndSet(null);
    if (h == null) {
      return Optional.empty();
    }
    h.stopTimers();
    return Optional.of(h.session());
  }

  /** Whether a lease is held ahead now. */
  public boolean holding() {
    return held.get() != null;
  }

  /** Stops asking (the worker shuts down) and hands back a lease held ahead. */
  public void close() {
    closed = true;
    synchronized (this) {
      cancelPendingAsk();
    }
    take().ifPresent(handBack);
  }

  /** The mean epoch time measured so far, or -1 before the first epoch. */
  synchronized long meanEpochNanos() {
    return epochCount == 0 ? -1 : epochNanosSum / epochCount;
  }

  /**
   * Schedules the request ahead for when the expected remaining time reaches the window: at the
   * last epoch's end plus the epochs left times the mean epoch time, less the window.
   */
  private void schedule() {
    cancelPendingAsk();
    long mean = meanEpochNanos();
    if (!enabled() || closed || epochsLeft == 0 || mean < 0 || asking != null || holding()) {
      return;
    }
    long at = lastEpochEndNanos + epochsLeft * mean - windowNanos;
    long delay = Math.max(0, at - System.nanoTime());
    pendingAsk = timer.schedule(this::ask, delay, TimeUnit.NANOSECONDS);
  }

  private void cancelPendingAsk() {
    if (pendingAsk != null) {
      pendingAsk.cancel(false);
      pendingAsk = null;
    }
  }

  private void ask() {
    synchronized (this) {
      if (closed || pendingAsk == null || asking != null || holding()) {
        return;
      }
      pendingAsk = null;
      asking = timer.submit(this::request);
    }
  }

  private void request() {
    Optional<Lease> lease;
    try {
      lease = requester.ask();
    } catch (ControlException e) {
      LOG.debugf("request ahead failed: %s", e.getMessage());
      return;
    }
    if (lease.isEmpty()) {
      return;
    }
    LeaseSession s = LeaseSession.ahead(lease.get(), System.nanoTime());
    long period = heartbeatPeriod(lease.get());
    ScheduledFuture<?> beat =
        timer.scheduleAtFixedRate(() -> heartbeat.accept(s), period, period, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> limit =
        timer.schedule(this::handBackIfStillHeld, 2 * windowNanos, TimeUnit.NANOSECONDS);
    held.set(new Held(s, beat, limit));
    if (closed) {
      take().ifPresent(handBack); // shutting down meanwhile
    }
  }

  private void handBackIfStillHeld() {
    Held h = held.get();
    if (h != null && held.compareAndSet(h, null)) {
      h.stopTimers();
      LOG.infof(
          "lease %s held ahead for twice the %d ms window: handing it back",
          h.session().leaseId(), TimeUnit.NANOSECONDS.toMillis(windowNanos));
      handBack.accept(h.session());
    }
  }

  /** The renewal period of a lease: its {@code heartbeatMillis}, else a third of its TTL. */
  public static long heartbeatPeriod(Lease lease) {
    return lease.heartbeatMillis() > 0
        ? lease.heartbeatMillis()
        : Math.max(1, lease.ttlMillis() / 3);
  }
}
