package io.sharpsweep.store.service;

import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.store.db.SegmentRow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Matches waiting lease requests with queued segments on one thread. A request does not hold a
 * thread or a database connection while it waits: it is a future in a first-come, first-served
 * line. A <em>round</em> reads the queue once for the whole line (at most {@link #MAX_ROUND}
 * segments, by priority) and grants the segments of each study in one transaction under that
 * study's lock, to the longest-waiting requests first. So the database work grows with the segments
 * handed out, not with the number of waiting workers.
 *
 * <p>A round runs when a request arrives, when this replica queues a segment ({@link
 * LeaseSignal#wake}), and every {@code recheck} while requests wait (segments queued by another
 * replica of the store). A request whose wait ends unserved is answered with no lease after one
 * round at least, so a request that does not wait still gets one look at the queue. A request whose
 * client went away is dropped; a lease granted to it in the meantime is handed back at once.
 *
 * <p>A request <em>ahead</em> comes from a worker still training its current segment
 * (docs/control-plane.md, "Lease ahead"). It never waits: it is answered in the next round, after
 * the idle requests were served, with a segment left over only if no idle request is still in the
 * line; so a segment is never handed ahead while an idle worker waits. When more requests ahead are
 * in the line than one round reads segments, and that round handed some ahead, the others are
 * answered by the rounds that follow at once, until the queue or the grants run out.
 */
final class LeaseDispatcher implements AutoCloseable {
  /** The most segments one round reads and grants. */
  static final int MAX_ROUND = 256;

  private static final Logger LOG = Logger.getLogger(LeaseDispatcher.class);

  /** The database side of dispatch: the queue, and a grant of one study's segments. */
  interface Desk {
    /** Up to {@code limit} dispatchable segments, highest priority first. */
    List<SegmentRow> queued(int limit);

    /**
     * Leases {@code candidates} (all of one study) to {@code workers} in order, in one transaction;
     * a candidate that is no longer queued, or beyond the study's parallelism, is skipped. The
     * leases are those of the first {@code n} workers; {@code ahead}: the workers asked ahead.
     */
    List<Lease> grant(
        String studyId, List<SegmentRow> candidates, List<String> workers, boolean ahead);

    /** A lease whose request went away before it could be answered: queued again, uncharged. */
    void giveBack(Lease lease);
  }

  private record Waiter(
      String workerId, boolean ahead, long deadlineNanos, CompletableFuture<Optional<Lease>> f) {
    boolean gone() {
      return f.isDone();
    }
  }

  private final Desk desk;
  private final LeaseSignal signal;
  private final long recheckNanos;
  private final ConcurrentLinkedQueue<Waiter> arrivals = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<Waiter> line = new ArrayDeque<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile boolean open = true;
  private Thread thread;

  LeaseDispatcher(Desk desk, LeaseSignal signal, Duration recheck) {
    this.desk = desk;
    this.signal = signal;
    this.recheckNanos = Math.max(1, recheck.toNanos());
  }

  /** A lease within {@code wait}, or empty; completes on the dispatcher's thread. */
  CompletableFuture<Optional<Lease>> submit(String workerId, Duration wait) {
    return submit(workerId, wait, false);
  }

  /** A lease ahead of the worker's current segment's end, or empty, after the next round. */
  CompletableFuture<Optional<Lease>> submitAhead(String workerId) {
    return submit(workerId, Duration.ZERO, true);
  }

  private CompletableFuture<Optional<Lease>> submit(String workerId, Duration wait, boolean ahead) {
    CompletableFuture<Optional<Lease>> f = new CompletableFuture<>();
    if (!open) {
      f.complete(Optional.empty());
      return f;
    }
    startIfNeeded();
    if (!ahead) {
      waiting.incrementAndGet();
      f.whenComplete((lease, error) -> waiting.decrementAndGet());
    }
    arrivals.add(new Waiter(workerId, ahead, System.nanoTime() + wait.toNanos(), f));
    signal.wake();
    if (!open) {
      f.complete(Optional.empty()); // closed meanwhile: the dispatcher may not see it
    }
    return f;
  }

  /** Idle workers' requests waiting for a lease now (requests ahead are not counted). */
  int waiting() {
    return waiting.get();
  }

  @Override
  public void close() {
    open = false;
    signal.wake();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    answerAll();
  }

  private synchronized void startIfNeeded() {
    if (thread == null) {
      thread = new Thread(this::run, "sharpsweep-lease-dispatcher");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void run() {
    long seen = Long.MIN_VALUE;
    long lastRound = System.nanoTime() - recheckNanos;
    boolean again = false;
    while (open) {
      long generation = signal.generation();
      admitArrivals();
      long now = System.nanoTime();
      if (!line.isEmpty() && (again || generation != seen || now - lastRound >= recheckNanos)) {
        seen = generation;
        lastRound = now;
        again = roundSafely();
        if (again) {
          continue;
        }
      } else if (line.isEmpty()) {
        seen = generation;
      }
      answerOverdue(System.nanoTime());
      if (!signal.await(generation, sleepMillis(System.nanoTime()))) {
        break;
      }
    }
    answerAll();
  }

  private void admitArrivals() {
    Waiter w;
    while ((w = arrivals.poll()) != null) {
      if (!w.gone()) {
        line.addLast(w);
      }
    }
  }

  /** One round; true if it granted a full round's worth and more may be queued. */
  private boolean roundSafely() {
    try {
      return round();
    } catch (RuntimeException e) {
      LOG.warnf(
          "lease dispatch round failed, the %d waiting request(s) go on waiting: %s",
          line.size(), e.getMessage());
      return false;
    }
  }

  private boolean round() {
    line.removeIf(Waiter::gone);
    if (line.isEmpty()) {
      return false;
    }
    List<Waiter> idle = line.stream().filter(w -> !w.ahead()).toList();
    List<Waiter> ahead = line.stream().filter(Waiter::ahead).toList();
    int limit = Math.min(line.size(), MAX_ROUND);
    List<SegmentRow> queued = desk.queued(limit);
    int granted = serve(queued, idle, false);
    line.removeIf(Waiter::gone);
    if (!ahead.isEmpty()) {
      // what the idle requests took is no longer queued: its conditional update skips it
      int grantedAhead = 0;
      if (line.stream().noneMatch(w -> !w.ahead())) {
        grantedAhead = serve(queued, ahead, true);
      }
      granted += grantedAhead;
      // a round reads at most MAX_ROUND segments: while it read a full round and handed some ahead,
      // the requests ahead it did not reach stay for the next round, which follows at once
      if (grantedAhead == 0 || queued.size() < limit) {
        ahead.forEach(w -> w.f().complete(Optional.empty()));
      }
      line.removeIf(Waiter::gone);
    }
    return granted > 0 && queued.size() == limit && !line.isEmpty();
  }

  /**
   * Grants {@code queued}, study by study, to {@code takers} in order (all of them asking ahead, or
   * none); returns how many.
   */
  private int serve(List<SegmentRow> queued, List<Waiter> takers, boolean ahead) {
    int next = 0;
    for (Map.Entry<String, List<SegmentRow>> study : byStudy(queued).entrySet()) {
      if (next >= takers.size()) {
        break;
      }
      List<Waiter> these =
          takers.subList(next, Math.min(takers.size(), next + study.getValue().size()));
      next += grant(study.getKey(), study.getValue(), these, ahead);
    }
    return next;
  }

  /** Grants one study's candidates to {@code these}; returns how many leases it handed out. */
  private int grant(
      String studyId, List<SegmentRow> candidates, List<Waiter> these, boolean ahead) {
    List<Lease> leases;
    try {
      leases =
          desk.grant(studyId, candidates, these.stream().map(Waiter::workerId).toList(), ahead);
    } catch (RuntimeException e) {
      LOG.warnf("granting segments of study %s failed: %s", studyId, e.getMessage());
      return 0;
    }
    for (int i = 0; i < leases.size(); i++) {
      Lease lease = leases.get(i);
      if (!these.get(i).f().complete(Optional.of(lease))) {
        giveBack(lease);
      }
    }
    return leases.size();
  }

  private void giveBack(Lease lease) {
    try {
      desk.giveBack(lease);
    } catch (RuntimeException e) {
      LOG.warnf(
          "lease %s of a request that went away could not be handed back; it expires: %s",
          lease.leaseId(), e.getMessage());
    }
  }

  private static Map<String, List<SegmentRow>> byStudy(List<SegmentRow> queued) {
    Map<String, List<SegmentRow>> groups = new LinkedHashMap<>();
    for (SegmentRow s : queued) {
      groups.computeIfAbsent(s.studyId(), k -> new ArrayList<>()).add(s);
    }
    return groups;
  }

  private void answerOverdue(long now) {
    line.removeIf(
        w -> {
          if (w.gone()) {
            return true;
          }
          if (now - w.deadlineNanos() >= 0) {
            w.f().complete(Optional.empty());
            return true;
          }
          return false;
        });
  }

  private long sleepMillis(long now) {
    long until = recheckNanos;
    for (Waiter w : line) {
      until = Math.min(until, w.deadlineNanos() - now);
    }
    return Math.max(1, until / 1_000_000L);
  }

  private void answerAll() {
    admitArrivals();
    line.forEach(w -> w.f().complete(Optional.empty()));
    line.clear();
  }
}
