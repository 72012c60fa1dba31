package io.sharpsweep.worker.lease;

import io.sharpsweep.protocol.control.Heartbeat;
import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.worker.engine.SegmentControl;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One leased segment as the worker holds it: whether the lease is still ours, whether someone asked
 * the segment to stop, and the progress the heartbeats report. Shared by the training thread (which
 * asks {@link #stopRequested()} between batches), the heartbeat thread and the shutdown hook.
 *
 * <p>The lease is given up by itself ("fenced") when no renewal succeeded for {@code ttlMillis}
 * less a margin of {@code min(2 s, ttl/4)}, counted on the monotonic clock from the moment the last
 * successful renewal request was <em>sent</em>: the store runs its deadline from the later moment
 * it granted the renewal, so by the time the store may hand the segment to another worker this one
 * has stopped. Before the first renewal the clock runs from the arrival of the lease itself (a long
 * poll may wait for seconds before the store grants it; the margin covers the answer's transit).
 *
 * <p>A lease held ahead ({@link #ahead}) is not started until {@link #start()}: its heartbeats say
 * so, and the store queues its segment again uncharged if it expires unstarted
 * (docs/control-plane.md, "Lease ahead").
 */
public final class LeaseSession implements SegmentControl {

  /** The last epoch checkpointed (and reported) under this lease, null before the first. */
  public record Progress(Integer epoch, String checkpointUri) {
    public static final Progress NONE = new Progress(null, null);
  }

  private final Lease lease;
  private final long fenceNanos;
  private final long receivedNanos;
  private volatile long lastRenewalSentNanos;
  private volatile boolean lost;
  private volatile boolean fenced;
  private volatile boolean stop;
  private volatile String stopReason;
  private volatile Progress progress = Progress.NONE;
  private final AtomicBoolean started;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean lossCounted = new AtomicBoolean();

  /**
   * @param receivedNanos {@link System#nanoTime()} when the lease arrived
   */
  public LeaseSession(Lease lease, long receivedNanos) {
    this(lease, receivedNanos, true);
  }

  private LeaseSession(Lease lease, long receivedNanos, boolean started) {
    this.started = new AtomicBoolean(started);
    this.lease = lease;
    this.fenceNanos = TimeUnit.MILLISECONDS.toNanos(lease.ttlMillis() - margin(lease.ttlMillis()));
    this.lastRenewalSentNanos = receivedNanos;
    this.receivedNanos = receivedNanos;
  }

  /**
   * A lease granted ahead, arrived at {@code receivedNanos}: not started until {@link #start()}.
   */
  public static LeaseSession ahead(Lease lease, long receivedNanos) {
    return new LeaseSession(lease, receivedNanos, false);
  }

  /**
   * Its segment starts training now. True the first time for a lease held ahead: the store must be
   * told at once (a heartbeat, {@link #heartbeat}), so that an expiry from here on is charged.
   */
  public boolean start() {
    return started.compareAndSet(false, true);
  }

  /** Whether its segment has started training (a lease not held ahead always has). */
  public boolean started() {
    return started.get();
  }

  /** The heartbeat of this lease now: its progress, and whether its segment started. */
  public Heartbeat heartbeat(String workerId) {
    Progress p = progress;
    return new Heartbeat(workerId, p.epoch(), p.checkpointUri(), started.get());
  }

  /** {@link System#nanoTime()} when the lease arrived. */
  public long receivedNanos() {
    return receivedNanos;
  }

  /** How long before the TTL runs out the worker stops by itself: {@code min(2 s, ttl/4)}. */
  public static long margin(long ttlMillis) {
    return Math.min(2000, ttlMillis / 4);
  }

  public Lease lease() {
    return lease;
  }

  public String leaseId() {
    return lease.leaseId();
  }

  /** A renewal sent at {@code sentNanos} was granted. */
  public void renewed(long sentNanos) {
    if (sentNanos > lastRenewalSentNanos) {
      lastRenewalSentNanos = sentNanos;
    }
  }

  /** Time since the last successful renewal was sent (or since the lease arrived). */
  public long nanosSinceRenewal() {
    return System.nanoTime() - lastRenewalSentNanos;
  }

  /** Milliseconds until the next renewal is due, renewing every {@code period} ms. */
  public long nextRenewalMillis(long periodMillis) {
    return Math.max(0, periodMillis - TimeUnit.NANOSECONDS.toMillis(nanosSinceRenewal()));
  }

  /** The store said the lease is not ours (409); returns true the first time. */
  public boolean markLost() {
    boolean first = !lost;
    lost = true;
    return first;
  }

  public boolean lost() {
    return lost;
  }

  /**
   * True once no renewal succeeded for the TTL less the margin (sticky: the segment has been
   * stopped by then).
   */
  public boolean fenced() {
    if (!fenced && System.nanoTime() - lastRenewalSentNanos >= fenceNanos) {
      fenced = true;
    }
    return fenced;
  }

  /** Whether this worker may still act for the segment (publish its reports). */
  public boolean valid() {
    return !lost && !fenced();
  }

  /** Ask the segment to stop at the next batch (e.g. the worker is shutting down). */
  public void requestStop(String reason) {
    stopReason = reason;
    stop = true;
  }

  /** Whether {@link #requestStop(String)} was called. */
  public boolean stopAsked() {
    return stop;
  }

  public String stopReason() {
    return stopReason;
  }

  @Override
  public boolean stopRequested() {
    return stop || !valid();
  }

  public Progress progress() {
    return progress;
  }

  public synchronized void progress(Progress p) {
    progress = p;
  }

  /**
   * Moves the progress on to {@code p} if it is a later epoch than the current one (reports are
   * acknowledged on other threads, and a late acknowledgement of an earlier send must not move it
   * back); true if it moved.
   */
  public synchronized boolean advance(Progress p) {
    Integer now = progress.epoch();
    if (now != null && (p.epoch() == null || p.epoch() <= now)) {
      return false;
    }
    progress = p;
    return true;
  }

  /**
   * Claims the one call that ends the lease (complete, release or fail): true for the first caller
   * only, so the training thread and the shutdown hook never both end it.
   */
  public boolean claimEnd() {
    return ended.compareAndSet(false, true);
  }

  public boolean endClaimed() {
    return ended.get();
  }

  /** True the first time only: a lease is counted (and logged) as lost once, however it was. */
  public boolean firstLoss() {
    return lossCounted.compareAndSet(false, true);
  }
}
