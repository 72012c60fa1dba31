package io.sharpsweep.store.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.store.db.LeaseGrant;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which worker holds each lease of a batch of grants: the k-th lease that took is the k-th
 * worker's, whichever candidates were taken meanwhile.
 */
class LeaseDeskGrantedTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<String> WORKERS = List.of("w-0", "w-1", "w-2", "w-3");

  private static List<LeaseGrant> offered(int n) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> new LeaseGrant("l-" + i, WORKERS.get(i), NOW.plusSeconds(60), NOW, false))
        .toList();
  }

  @Test
  void whenEveryUpdateTookEachLeaseStaysWithItsWorker() {
    LeaseDesk.Granted g =
        LeaseDesk.Granted.of(
            List.of(10L, 11L, 12L), offered(3), new boolean[] {true, true, true}, WORKERS);
    assertThat(g.ids()).containsExactly(10L, 11L, 12L);
    assertThat(g.grants()).isEqualTo(offered(3));
    assertThat(g.moved()).isEmpty();
  }

  @Test
  void leasesAfterACandidateTakenMeanwhileMoveUpOneWorkerEach() {
    LeaseDesk.Granted g =
        LeaseDesk.Granted.of(
            List.of(10L, 11L, 12L, 13L),
            offered(4),
            new boolean[] {true, false, true, true},
            WORKERS);
    assertThat(g.ids()).containsExactly(10L, 12L, 13L);
    assertThat(g.grants()).extracting(LeaseGrant::leaseId).containsExactly("l-0", "l-2", "l-3");
    assertThat(g.grants()).extracting(LeaseGrant::workerId).containsExactly("w-0", "w-1", "w-2");
    assertThat(g.moved().keySet()).containsExactlyInAnyOrder(12L, 13L);
    assertThat(g.moved().get(12L).workerId()).isEqualTo("w-1");
    assertThat(g.moved().get(12L).leaseId()).isEqualTo("l-2");
    assertThat(g.moved().get(13L).workerId()).isEqualTo("w-2");
  }

  @Test
  void whenNoUpdateTookThereIsNoLease() {
    LeaseDesk.Granted g =
        LeaseDesk.Granted.of(List.of(10L, 11L), offered(2), new boolean[] {false, false}, WORKERS);
    assertThat(g.ids()).isEmpty();
    assertThat(g.grants()).isEmpty();
    assertThat(g.moved()).isEmpty();
  }
}
