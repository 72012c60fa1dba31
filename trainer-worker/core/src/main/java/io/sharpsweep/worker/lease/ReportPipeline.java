package io.sharpsweep.worker.lease;

import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.worker.engine.SegmentStoppedException;
import io.sharpsweep.worker.lease.LeaseSession.Progress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The epoch reports of one leased segment, sent without holding up training: epoch k's report is
 * sent as soon as its checkpoint is written, and epoch k + 1 trains while the broker acknowledges
 * it. At most one report is in flight: the next is sent only once the previous one was acknowledged
 * (sent again, with a back-off, while the broker is away and the lease holds), so a trial's reports
 * reach the broker in epoch order, and {@link #drain()} waits for the last one before the segment
 * may be completed. A lease that is lost or given up stops the segment at the next report: nothing
 * more is sent for it.
 *
 * <p>An acknowledged report whose checkpoint can be resumed from is the lease's progress ({@link
 * LeaseSession#advance}); {@code onProgress} is then called (on the thread that saw the
 * acknowledgement) so that the worker tells the store at once rather than at the next heartbeat.
 *
 * <p>{@link #submit} and {@link #drain} are called from the training thread only.
 */
public final class ReportPipeline {
  private static final Logger LOG = Logger.getLogger(ReportPipeline.class);
  private static final long RETRY_MIN_MILLIS = 500;
  private static final long RETRY_MAX_MILLIS = 5000;

  /** Sends one report; the future completes when the broker acknowledged it. */
  @FunctionalInterface
  public interface Transport {
    CompletableFuture<?> send(EpochReport report);
  }

  private record InFlight(EpochReport report, boolean resumable, CompletableFuture<?> ack) {}

  private final LeaseSession session;
  private final Transport transport;
  private final Consumer<Progress> onProgress;
  private final long ackTimeoutNanos;
  private InFlight inFlight;

  /**
   * @param ackTimeout how long one send may wait for its acknowledgement before it is sent again
   */
  public ReportPipeline(
      LeaseSession session,
      Transport transport,
      Consumer<Progress> onProgress,
      Duration ackTimeout) {
    this.session = session;
    this.transport = transport;
    this.onProgress = onProgress;
    this.ackTimeoutNanos = Math.max(1, ackTimeout.toNanos());
  }

  /**
   * Sends {@code report} (its checkpoint is written) once the report before it is acknowledged, and
   * returns without waiting for its own acknowledgement.
   *
   * @param resumable whether the report's checkpoint can be resumed from (only such a checkpoint is
   *     progress)
   * @throws SegmentStoppedException when the lease is lost, or the segment was asked to stop while
   *     the previous report was still unacknowledged
   */
  public void submit(EpochReport report, boolean resumable) {
    drain();
    if (!session.valid()) {
      throw lost(report.epoch());
    }
    inFlight = send(report, resumable);
  }

  /**
   * Waits until the report in flight, if any, is acknowledged, sending it again while the broker is
   * away and the lease holds.
   *
   * @throws SegmentStoppedException when the lease is lost, or the segment was asked to stop,
   *     before the broker acknowledged it; its progress stays at the last acknowledged report
   */
  public void drain() {
    InFlight f = inFlight;
    if (f == null) {
      return;
    }
    long backoff = RETRY_MIN_MILLIS;
    boolean retried = false;
    while (true) {
      try {
        f.ack().get(ackTimeoutNanos, TimeUnit.NANOSECONDS);
        // the callback of the acknowledgement may not have run yet on the thread that completed it
        acknowledged(f.report(), f.resumable());
        inFlight = null;
        if (retried) {
          LOG.infof("report of %s epoch %d acknowledged", f.report().trialId(), f.report().epoch());
        }
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        inFlight = null;
        throw new SegmentStoppedException(
            "interrupted before the report of epoch " + f.report().epoch() + " was acknowledged",
            f.report().epoch() - 1);
      } catch (ExecutionException | TimeoutException e) {
        if (session.stopAsked()) {
          inFlight = null;
          throw new SegmentStoppedException(
              "stopped before the report of epoch " + f.report().epoch() + " was acknowledged",
              f.report().epoch() - 1);
        }
        if (!retried) {
          LOG.warnf(
              "report of %s epoch %d was not acknowledged by the broker (%s); sending it again"
                  + " while the lease is held",
              f.report().trialId(),
              f.report().epoch(),
              e instanceof TimeoutException ? "timed out" : String.valueOf(e.getCause()));
          retried = true;
        }
      }
      pause(backoff);
      backoff = Math.min(RETRY_MAX_MILLIS, backoff * 2);
      if (!session.valid()) {
        inFlight = null;
        throw lost(f.report().epoch());
      }
      f = send(f.report(), f.resumable());
      inFlight = f;
    }
  }

  private InFlight send(EpochReport report, boolean resumable) {
    CompletableFuture<?> ack;
    try {
      ack = transport.send(report);
    } catch (RuntimeException e) {
      ack = CompletableFuture.failedFuture(e);
    }
    ack.thenRun(() -> acknowledged(report, resumable));
    return new InFlight(report, resumable, ack);
  }

  /** Records the progress of an acknowledged report, once (however many threads see it). */
  private void acknowledged(EpochReport report, boolean resumable) {
    if (!resumable) {
      return;
    }
    Progress p = new Progress(report.epoch(), report.checkpointUri());
    if (session.advance(p)) {
      onProgress.accept(p);
    }
  }

  private SegmentStoppedException lost(int epoch) {
    return new SegmentStoppedException(
        "lease " + session.leaseId() + " lost: the report of epoch " + epoch + " is dropped",
        epoch - 1);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
