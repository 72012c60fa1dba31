package io.sharpsweep.worker.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a worker asks ahead (from the epoch times it measured), that a lease held ahead is renewed
 * until it is taken, and that it is handed back when held too long or when the worker shuts down.
 */
class LeaseAheadTest {
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2);
  private final AtomicLong askedAtNanos = new AtomicLong();
  private final List<String> renewed = new CopyOnWriteArrayList<>();
  private final List<Boolean> renewedAsStarted = new CopyOnWriteArrayList<>();
  private final List<String> handedBack = new CopyOnWriteArrayList<>();
  private volatile Optional<Lease> answer = Optional.of(lease("next"));

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private LeaseAhead ahead(Duration window) {
    return new LeaseAhead(
        () -> {
          askedAtNanos.compareAndSet(0, System.nanoTime());
          return answer;
        },
        window,
        timer,
        s -> {
          renewedAsStarted.add(s.heartbeat("w").started());
          renewed.add(s.leaseId());
        },
        s -> handedBack.add(s.leaseId()));
  }

  private static Lease lease(String id) {
    return new Lease(id, "w", 0L, 3000L, 100L, segment(0, 2));
  }

  private static SegmentAssignment segment(int from, int to) {
    return new SegmentAssignment(
        SchemaVersion.CURRENT, "s", "t", 1, Map.of(), from, to, to, null, null, "mlp", 1L);
  }

  @Test
  void asksOnceTheEpochsLeftTimesTheMeasuredEpochTimeFallBelowTheWindow() throws Exception {
    LeaseAhead a = ahead(Duration.ofMillis(400));
    long t0 = System.nanoTime();
    a.segmentStarted(segment(0, 4), t0);
    await()
        .during(Duration.ofMillis(50))
        .atMost(Duration.ofSeconds(1))
        .until(() -> askedAtNanos.get() == 0);
    assertThat(askedAtNanos.get()).as("no epoch measured yet: no request").isZero();
    // epochs of 300 ms: after the first, 3 × 300 = 900 ms are left; the window of 400 ms is reached
    // 500 ms later, 800 ms after the start
    a.epochEnded(t0 + 300_000_000L);
    await().atMost(Duration.ofSeconds(5)).until(a::holding);
    long asked = askedAtNanos.get() - t0;
    assertThat(asked).isBetween(780_000_000L, 1_300_000_000L);
    // held: renewed every 100 ms until taken
    await().atMost(Duration.ofSeconds(5)).until(() -> renewed.size() >= 2);
    a.segmentEnded(Duration.ofSeconds(1));
    LeaseSession next = a.take().orElseThrow();
    assertThat(next.leaseId()).isEqualTo("next");
    // renewed as not started while held; started by the training loop, once
    assertThat(renewedAsStarted).isNotEmpty().containsOnly(false);
    assertThat(next.started()).isFalse();
    assertThat(next.heartbeat("w").started()).isFalse();
    assertThat(next.start()).isTrue();
    assertThat(next.start()).isFalse();
    assertThat(next.heartbeat("w").started()).isTrue();
    assertThat(new LeaseSession(lease("plain"), t0).start()).as("a lease not held ahead").isFalse();
    int renewals = renewed.size();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> renewed.size() == renewals);
    assertThat(renewed).as("no renewal from here once taken").hasSize(renewals);
    assertThat(a.take()).isEmpty();
    assertThat(handedBack).isEmpty();
  }

  @Test
  void aLeaseHeldForTwiceTheWindowIsHandedBackAndShutdownHandsBackTheOneHeld() throws Exception {
    LeaseAhead a = ahead(Duration.ofMillis(200));
    long t0 = System.nanoTime();
    a.segmentStarted(segment(0, 2), t0);
    a.epochEnded(t0 + 100_000_000L); // 100 ms left: ask at once
    await().atMost(Duration.ofSeconds(5)).until(a::holding);
    long held = System.nanoTime();
    await().atMost(Duration.ofSeconds(5)).until(() -> !handedBack.isEmpty());
    assertThat(System.nanoTime() - held).isBetween(250_000_000L, 2_000_000_000L);
    assertThat(handedBack).containsExactly("next");
    assertThat(a.take()).isEmpty();

    LeaseAhead b = ahead(Duration.ofSeconds(10));
    b.segmentStarted(segment(0, 2), t0);
    b.epochEnded(t0 + 100_000_000L);
    await().atMost(Duration.ofSeconds(5)).until(b::holding);
    b.close();
    assertThat(handedBack).containsExactly("next", "next");
    assertThat(b.take()).isEmpty();
  }

  @Test
  void aZeroWindowNeverAsksAndARefusalHoldsNothing() throws Exception {
    LeaseAhead off = ahead(Duration.ZERO);
    long t0 = System.nanoTime();
    off.segmentStarted(segment(0, 2), t0);
    off.epochEnded(t0);
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(1))
        .until(() -> askedAtNanos.get() == 0);
    assertThat(askedAtNanos.get()).isZero();
    answer = Optional.empty();
    LeaseAhead refused = ahead(Duration.ofSeconds(10));
    refused.segmentStarted(segment(0, 2), t0);
    refused.epochEnded(t0 + 1_000_000L);
    await().atMost(Duration.ofSeconds(5)).until(() -> askedAtNanos.get() != 0);
    refused.segmentEnded(Duration.ofSeconds(1));
    assertThat(refused.take()).isEmpty();
    assertThat(renewed).isEmpty();
  }
}
