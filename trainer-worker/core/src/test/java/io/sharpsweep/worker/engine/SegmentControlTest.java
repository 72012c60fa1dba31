package io.sharpsweep.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a segment between batches: nothing of the partial epoch is kept, resume is exact. */
class SegmentControlTest {
  @RegisterExtension static final TrainerFixture FIXTURE = new TrainerFixture("test-worker");

  @TempDir Path dir;

  private static float[][] params(Path checkpoint) {
    try (NDManager m = FIXTURE.root().newSubManager()) {
      return CheckpointStore.readParams(checkpoint, m).stream()
          .map(NDArray::toFloatArray)
          .toArray(float[][]::new);
    }
  }

  @Test
  void aStopInTheSecondEpochKeepsEpochOneOnlyAndTheResumeIsBitExact() {
    CheckpointStore store = new CheckpointStore(dir);
    SegmentAssignment straight =
        SegmentTrainerTest.assignment("straight", 0, 3, 3, SegmentTrainerTest.CONFIG, null);
    FIXTURE.trainer().train(straight, store, (r, s) -> {});

    SegmentAssignment a =
        SegmentTrainerTest.assignment("stopped", 0, 3, 3, SegmentTrainerTest.CONFIG, null);
    List<EpochReport> reports = new ArrayList<>();
    AtomicInteger stepsInEpoch2 = new AtomicInteger();
    AtomicInteger asked = new AtomicInteger();
    // 576 examples / 64 = 9 iterations per epoch: stop after 4 iterations of epoch 2.
    SegmentControl control =
        () -> {
          asked.incrementAndGet();
          return stepsInEpoch2.get() >= 4;
        };
    assertThatThrownBy(
            () ->
                FIXTURE
                    .trainer()
                    .train(
                        a,
                        store,
                        (r, s) -> reports.add(r),
                        (epoch, iteration, perEpoch, stats, nanos) -> {
                          if (epoch == 2) {
                            stepsInEpoch2.incrementAndGet();
                          }
                        },
                        control))
        .isInstanceOf(SegmentStoppedException.class)
        .hasMessage("segment stopped#0#0-3 stopped in epoch 2 after 4 of 9 iterations")
        .satisfies(e -> assertThat(((SegmentStoppedException) e).lastCompletedEpoch()).isOne());
    assertThat(stepsInEpoch2).hasValue(4);
    assertThat(reports).extracting(EpochReport::epoch).containsExactly(1);
    // Epoch 1 kept its tensors (no pruning after a stop); the partial epoch 2 left nothing.
    assertThat(CheckpointStore.hasTensors(store.directory("study-1", "stopped", 1))).isTrue();
    assertThat(Files.exists(store.directory("study-1", "stopped", 2))).isFalse();
    // Asked before loading the data, then per epoch before it, before each batch but the first
    // and before its checkpoint.
    assertThat(asked.get()).isEqualTo(1 + (1 + 8 + 1) + (1 + 4));

    // The same segment again: epoch 1 re-sent, epochs 2 and 3 trained, equal to the straight run.
    List<EpochReport> again = new ArrayList<>();
    SegmentResult result = FIXTURE.trainer().train(a, store, (r, s) -> again.add(r));
    assertThat(result.epochsReplayed()).isOne();
    assertThat(result.epochsTrained()).isEqualTo(2);
    assertThat(again).extracting(EpochReport::epoch).containsExactly(1, 2, 3);
    assertThat(again.get(0)).isEqualTo(reports.get(0));
    assertThat(params(store.directory("study-1", "stopped", 3)))
        .isDeepEqualTo(params(store.directory("study-1", "straight", 3)));
  }

  @Test
  void aStopRequestedBeforeTheFirstEpochTrainsNothing() {
    CheckpointStore store = new CheckpointStore(dir);
    SegmentAssignment a =
        SegmentTrainerTest.assignment("early", 0, 2, 2, SegmentTrainerTest.CONFIG, null);
    List<EpochReport> reports = new ArrayList<>();
    assertThatThrownBy(
            () ->
                FIXTURE
                    .trainer()
                    .train(a, store, (r, s) -> reports.add(r), StepObserver.NONE, () -> true))
        .isInstanceOf(SegmentStoppedException.class)
        .hasMessageContaining("stopped at epoch 1 before loading the dataset");
    assertThat(reports).isEmpty();
    assertThat(Files.exists(store.directory("study-1", "early", 1))).isFalse();
  }
}
