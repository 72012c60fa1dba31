package io.sharpsweep.worker.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.worker.engine.SegmentStoppedException;
import io.sharpsweep.worker.lease.LeaseSession.Progress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The reports of one segment, sent while the next epoch trains: order, retries, progress, stops.
 */
class ReportPipelineTest {
  private final List<Integer> sent = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> acks = new CopyOnWriteArrayList<>();
  private final List<Progress> told = new CopyOnWriteArrayList<>();
  private final LeaseSession session =
      new LeaseSession(new Lease("lease-1", "w", 0, 60_000, 20_000, null), System.nanoTime());

  /** Each send is recorded and left unacknowledged until the test completes its future. */
  private final ReportPipeline pipeline =
      new ReportPipeline(
          session,
          r -> {
            sent.add(r.epoch());
            CompletableFuture<Void> f = new CompletableFuture<>();
            acks.add(f);
            return f;
          },
          told::add,
          Duration.ofSeconds(30));

  @Test
  void aReportIsSentWithoutWaitingAndTheNextOnlyAfterItsAcknowledgement() {
    pipeline.submit(report(1), true);
    assertThat(sent).containsExactly(1);
    assertThat(session.progress()).isEqualTo(Progress.NONE);

    acks.get(0).complete(null);
    assertThat(session.progress().epoch()).isEqualTo(1);
    assertThat(told).extracting(Progress::epoch).containsExactly(1);

    pipeline.submit(report(2), true);
    acks.get(1).complete(null);
    pipeline.submit(report(3), false);
    acks.get(2).complete(null);
    pipeline.drain();
    assertThat(sent).containsExactly(1, 2, 3);
    // a checkpoint that cannot be resumed from is not progress
    assertThat(told).extracting(Progress::epoch).containsExactly(1, 2);
    assertThat(session.progress().epoch()).isEqualTo(2);
  }

  @Test
  void submitWaitsForTheReportInFlightAndDrainWaitsForTheLast() throws Exception {
    pipeline.submit(report(1), true);
    Thread acker =
        new Thread(
            () -> {
              // acknowledge each send once the pipeline made it, from another thread
              for (int i = 0; i < 2; i++) {
                int n = i;
                Awaitility.await().until(() -> acks.size() > n);
                acks.get(n).complete(null);
              }
            });
    acker.start();
    pipeline.submit(report(2), true);
    pipeline.drain();
    acker.join();
    assertThat(sent).containsExactly(1, 2);
    assertThat(session.progress().epoch()).isEqualTo(2);
    assertThat(session.progress().checkpointUri()).isEqualTo("ckpt/2");
  }

  @Test
  void aReportTheBrokerRefusedIsSentAgainBeforeTheNext() {
    pipeline.submit(report(1), true);
    acks.get(0).completeExceptionally(new IllegalStateException("broker away"));
    Thread acker =
        new Thread(
            () -> {
              Awaitility.await().until(() -> acks.size() > 1);
              acks.get(1).complete(null);
            });
    acker.start();
    pipeline.submit(report(2), true);
    assertThat(sent).containsExactly(1, 1, 2);
    assertThat(session.progress().epoch()).isEqualTo(1);
    assertThat(told).extracting(Progress::epoch).containsExactly(1);
  }

  @Test
  void aLateAcknowledgementOfAnEarlierSendDoesNotMoveTheProgressBack() {
    CompletableFuture<Void> firstSend = new CompletableFuture<>();
    // the first send is not acknowledged in time; every later one at once
    ReportPipeline quick =
        new ReportPipeline(
            session,
            r -> {
              sent.add(r.epoch());
              return sent.size() == 1 ? firstSend : CompletableFuture.completedFuture(null);
            },
            told::add,
            Duration.ofMillis(50));
    quick.submit(report(1), true);
    quick.submit(report(2), true);
    quick.drain();
    firstSend.complete(null); // the first send of epoch 1, acknowledged at last
    assertThat(sent).containsExactly(1, 1, 2);
    assertThat(session.progress().epoch()).isEqualTo(2);
    assertThat(told).extracting(Progress::epoch).containsExactly(1, 2);
  }

  @Test
  void aLostLeaseStopsTheSegmentAndSendsNothingMore() {
    pipeline.submit(report(1), true);
    acks.get(0).complete(null);
    session.markLost();
    assertThatThrownBy(() -> pipeline.submit(report(2), true))
        .isInstanceOf(SegmentStoppedException.class)
        .hasMessageContaining("lease lease-1 lost")
        .extracting(e -> ((SegmentStoppedException) e).lastCompletedEpoch())
        .isEqualTo(1);
    assertThat(sent).containsExactly(1);
  }

  @Test
  void aStopAskedWhileTheReportIsUnacknowledgedIsNotSentAgain() {
    pipeline.submit(report(1), true);
    acks.get(0).complete(null);
    pipeline.submit(report(2), true);
    session.requestStop("worker shutting down");
    acks.get(1).completeExceptionally(new IllegalStateException("broker away"));
    assertThatThrownBy(pipeline::drain)
        .isInstanceOf(SegmentStoppedException.class)
        .hasMessageContaining("stopped before the report of epoch 2");
    assertThat(sent).containsExactly(1, 2);
    assertThat(session.progress().epoch()).isEqualTo(1);
  }

  private static EpochReport report(int epoch) {
    return new EpochReport(
        SchemaVersion.CURRENT,
        "study",
        "trial",
        1,
        epoch,
        null,
        null,
        "w",
        "ckpt/" + epoch,
        false,
        "lease-1");
  }
}
