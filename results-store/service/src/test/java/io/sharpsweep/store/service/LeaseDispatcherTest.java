package io.sharpsweep.store.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.store.control.SegmentState;
import io.sharpsweep.store.db.SegmentRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The matching of waiting requests with queued segments, on a queue held in memory: the database
 * side is covered by the control-plane scenarios, which drive the same dispatcher over REST.
 */
class LeaseDispatcherTest {
  private final Queue queue = new Queue();
  private final LeaseSignal signal = new LeaseSignal();
  private final LeaseDispatcher dispatcher =
      new LeaseDispatcher(queue, signal, Duration.ofSeconds(30));

  @AfterEach
  void close() {
    dispatcher.close();
  }

  @Test
  void manyWaitersAreServedInArrivalOrderWithOneReadOfTheQueuePerRound() throws Exception {
    List<CompletableFuture<Optional<Lease>>> waiting = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      waiting.add(dispatcher.submit("w-" + i, Duration.ofSeconds(20)));
      if (i == 0) {
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.reads.get() >= 1);
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.waiting() == 300);
    int readsBefore = queue.reads.get();

    queue.add("s1", 300);
    signal.wake();

    for (int i = 0; i < 300; i++) {
      Lease lease = waiting.get(i).get(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(lease.workerId()).isEqualTo("w-" + i);
      assertThat(lease.assignment()).isNull();
      assertThat(lease.leaseId()).isEqualTo("s1-" + i);
    }
    // 300 waiters: two rounds of at most 256 segments, not one read per waiter.
    assertThat(queue.reads.get() - readsBefore).isBetween(2, 4);
    assertThat(dispatcher.waiting()).isZero();
  }

  @Test
  void aRequestThatDoesNotWaitGetsOneLookAtTheQueue() throws Exception {
    assertThat(dispatcher.submit("w", Duration.ZERO).get(5, TimeUnit.SECONDS)).isEmpty();
    queue.add("s1", 1);
    assertThat(dispatcher.submit("w", Duration.ZERO).get(5, TimeUnit.SECONDS)).isPresent();
  }

  @Test
  void aWaitEndsWithoutALeaseWhenItsTimeIsUp() throws Exception {
    long start = System.nanoTime();
    assertThat(dispatcher.submit("w", Duration.ofMillis(300)).get(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(300_000_000L);
  }

  @Test
  void aLeaseGrantedToARequestThatWentAwayIsHandedBack() throws Exception {
    CompletableFuture<Optional<Lease>> gone = dispatcher.submit("w-gone", Duration.ofSeconds(20));
    CompletableFuture<Optional<Lease>> next = dispatcher.submit("w-next", Duration.ofSeconds(20));
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.reads.get() >= 1);
    queue.holdGrants = true;
    queue.add("s1", 1);
    signal.wake();
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.grantsStarted.get() == 1);
    gone.cancel(false); // the client disconnects while its grant commits
    queue.holdGrants = false;
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.givenBack.size() == 1);
    assertThat(queue.givenBack).containsExactly("s1-0");
    assertThat(next.isDone()).isFalse();
    queue.add("s2", 1);
    signal.wake();
    assertThat(next.get(5, TimeUnit.SECONDS).orElseThrow().leaseId()).isEqualTo("s2-0");
  }

  @Test
  void aRequestAheadGetsOnlyWhatTheIdleWorkersInLineLeaveOver() throws Exception {
    queue.holdReads = true;
    CompletableFuture<Optional<Lease>> first = dispatcher.submit("x", Duration.ZERO);
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.readsStarted.get() >= 1);
    // while that round reads the queue, a request ahead arrives, then an idle worker's
    CompletableFuture<Optional<Lease>> ahead = dispatcher.submitAhead("a");
    CompletableFuture<Optional<Lease>> idle = dispatcher.submit("w", Duration.ofSeconds(20));
    queue.add("s1", 2);
    queue.holdReads = false;
    assertThat(first.get(5, TimeUnit.SECONDS).orElseThrow().leaseId()).isEqualTo("s1-0");
    // the next round has both: the idle worker is served first, though it came second
    assertThat(idle.get(5, TimeUnit.SECONDS).orElseThrow().leaseId()).isEqualTo("s1-1");
    assertThat(ahead.get(5, TimeUnit.SECONDS)).isEmpty();
    // nobody waits and a segment is left over: it goes ahead, without waiting in the line
    queue.add("s2", 2);
    CompletableFuture<Optional<Lease>> both = dispatcher.submit("w2", Duration.ofSeconds(20));
    CompletableFuture<Optional<Lease>> again = dispatcher.submitAhead("a");
    assertThat(both.get(5, TimeUnit.SECONDS).orElseThrow().leaseId()).isEqualTo("s2-0");
    assertThat(again.get(5, TimeUnit.SECONDS).orElseThrow().leaseId()).isEqualTo("s2-1");
    assertThat(again.get().orElseThrow().workerId()).isEqualTo("a");
    // only the lease asked for ahead is granted as such (not started until its worker says so)
    assertThat(queue.grantedAhead).containsExactly("s2-1");
    // none queued: answered at once with nothing, and never counted as a waiting worker
    long t0 = System.nanoTime();
    assertThat(dispatcher.submitAhead("a").get(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
    assertThat(dispatcher.waiting()).isZero();
  }

  @Test
  void moreRequestsAheadThanOneRoundReadsAreServedByTheRoundsThatFollow() throws Exception {
    int n = LeaseDispatcher.MAX_ROUND + 44;
    queue.holdReads = true;
    CompletableFuture<Optional<Lease>> first = dispatcher.submit("x", Duration.ZERO);
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.readsStarted.get() >= 1);
    // a whole fleet asks ahead at once while that round reads the queue
    List<CompletableFuture<Optional<Lease>>> ahead = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ahead.add(dispatcher.submitAhead("a" + i));
    }
    queue.add("s1", n + 1);
    queue.holdReads = false;
    assertThat(first.get(5, TimeUnit.SECONDS)).isPresent();
    List<String> workers = new ArrayList<>();
    for (CompletableFuture<Optional<Lease>> f : ahead) {
      workers.add(f.get(5, TimeUnit.SECONDS).orElseThrow().workerId());
    }
    assertThat(workers).doesNotHaveDuplicates().hasSize(n);
    assertThat(queue.grantedAhead).hasSize(n);
    // with the queue empty, a request ahead is still answered at once with nothing
    assertThat(dispatcher.submitAhead("late").get(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void closingAnswersEveryWaiterWithoutALease() throws Exception {
    CompletableFuture<Optional<Lease>> a = dispatcher.submit("a", Duration.ofSeconds(20));
    CompletableFuture<Optional<Lease>> b = dispatcher.submit("b", Duration.ofSeconds(20));
    dispatcher.close();
    assertThat(a.get(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(b.get(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(dispatcher.submit("c", Duration.ofSeconds(20)).get(1, TimeUnit.SECONDS)).isEmpty();
  }

  /** Segments of named studies, leased in order; the lease id names the study and the segment. */
  private static final class Queue implements LeaseDispatcher.Desk {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger readsStarted = new AtomicInteger();
    volatile boolean holdReads;
    final AtomicInteger grantsStarted = new AtomicInteger();
    final List<String> givenBack = Collections.synchronizedList(new ArrayList<>());
    final List<String> grantedAhead = Collections.synchronizedList(new ArrayList<>());
    volatile boolean holdGrants;
    private final List<SegmentRow> queued = new ArrayList<>();
    private long nextId;

    synchronized void add(String study, int count) {
      for (int i = 0; i < count; i++) {
        queued.add(
            new SegmentRow(
                nextId++,
                study,
                study + "-t" + i,
                1,
                0,
                1,
                null,
                0,
                SegmentState.QUEUED,
                null,
                null,
                null,
                null,
                null,
                null,
                false));
      }
    }

    @Override
    public List<SegmentRow> queued(int limit) {
      readsStarted.incrementAndGet();
      await().atMost(Duration.ofSeconds(5)).until(() -> !holdReads);
      synchronized (this) {
        reads.incrementAndGet();
        return List.copyOf(queued.subList(0, Math.min(limit, queued.size())));
      }
    }

    @Override
    public List<Lease> grant(
        String studyId, List<SegmentRow> candidates, List<String> workers, boolean ahead) {
      grantsStarted.incrementAndGet();
      await().atMost(Duration.ofSeconds(5)).until(() -> !holdGrants);
      List<Lease> leases = new ArrayList<>();
      synchronized (this) {
        for (SegmentRow s : candidates) {
          if (leases.size() == workers.size() || !queued.remove(s)) {
            continue;
          }
          String trial = s.trialId();
          String leaseId = studyId + "-" + trial.substring(trial.lastIndexOf('t') + 1);
          leases.add(new Lease(leaseId, workers.get(leases.size()), 0L, 6000L, 2000L, null));
          if (ahead) {
            grantedAhead.add(leaseId);
          }
        }
      }
      return leases;
    }

    @Override
    public void giveBack(Lease lease) {
      givenBack.add(lease.leaseId());
    }
  }
}
