package io.sharpsweep.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.data.TrainingData;
import io.sharpsweep.worker.model.ModelUnavailableException;
import io.sharpsweep.worker.sam.TrainingDivergedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on the synthetic dataset: resume equivalence, replay, costs, failures. */
class SegmentTrainerTest {
  static final DatasetSpec SYNTHETIC = new DatasetSpec("synthetic", null, 0.1, null, 640, 100);
  static final Map<String, Object> CONFIG =
      Map.of("variant", "sgd", "lr", 0.05, "momentum", 0.9, "weight-decay", 5e-4, "batch-size", 64);

  @RegisterExtension static final TrainerFixture FIXTURE = new TrainerFixture("test-worker");

  @TempDir Path dir;

  static SegmentAssignment assignment(
      String trialId, int from, int to, int max, Map<String, Object> config, String checkpointUri) {
    return new SegmentAssignment(
        SchemaVersion.CURRENT,
        "study-1",
        trialId,
        0,
        config,
        from,
        to,
        max,
        checkpointUri,
        SYNTHETIC,
        "mlp",
        11L);
  }

  private static float[][] params(Path checkpoint) {
    try (NDManager m = FIXTURE.root().newSubManager()) {
      NDList list = CheckpointStore.readParams(checkpoint, m);
      return list.stream().map(NDArray::toFloatArray).toArray(float[][]::new);
    }
  }

  /** The optimizer's saved tensors (buffers and, after fused steps, their scale), as float64. */
  private static double[][] momentum(Path checkpoint) {
    try (NDManager m = FIXTURE.root().newSubManager()) {
      return CheckpointStore.readOptimizerState(checkpoint, m).stream()
          .map(a -> a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray())
          .toArray(double[][]::new);
    }
  }

  @Test
  void twoEpochsStraightEqualOneEpochCheckpointResumeOneEpoch() {
    CheckpointStore store = new CheckpointStore(dir);
    List<EpochReport> straight = new ArrayList<>();
    FIXTURE
        .trainer()
        .train(assignment("straight", 0, 2, 2, CONFIG, null), store, (r, s) -> straight.add(r));

    List<EpochReport> split = new ArrayList<>();
    SegmentResult first =
        FIXTURE
            .trainer()
            .train(assignment("split", 0, 1, 2, CONFIG, null), store, (r, s) -> split.add(r));
    assertThat(first.last().checkpointUri()).startsWith("file:");
    assertThat(first.last().finalEpoch()).isFalse();
    FIXTURE
        .trainer()
        .train(
            assignment("split", 1, 2, 2, CONFIG, first.last().checkpointUri()),
            store,
            (r, s) -> split.add(r));

    Path a = store.directory("study-1", "straight", 2);
    Path b = store.directory("study-1", "split", 2);
    assertThat(params(b)).isDeepEqualTo(params(a)); // bit-identical
    assertThat(momentum(b)).isDeepEqualTo(momentum(a));
    assertThat(split).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(split.get(i).metrics()).isEqualTo(straight.get(i).metrics());
      assertThat(split.get(i).cost().examplesBackward())
          .isEqualTo(straight.get(i).cost().examplesBackward());
    }
    assertThat(CheckpointStore.readState(b).optimizerSteps())
        .isEqualTo(2 * 9); // 576 training examples / 64
  }

  @Test
  void reportsCarryCumulativeCostsAndTestAccuracyOnlyAtTheEnd() {
    CheckpointStore store = new CheckpointStore(dir);
    List<EpochReport> reports = new ArrayList<>();
    List<EpochStats> stats = new ArrayList<>();
    SegmentResult result =
        FIXTURE
            .trainer()
            .train(
                assignment("costs", 0, 2, 2, CONFIG, null),
                store,
                (r, s) -> {
                  reports.add(r);
                  stats.add(s);
                });
    assertThat(result.epochsTrained()).isEqualTo(2);
    assertThat(reports).extracting(EpochReport::epoch).containsExactly(1, 2);
    assertThat(reports).extracting(EpochReport::finalEpoch).containsExactly(false, true);
    EpochReport r1 = reports.get(0);
    EpochReport r2 = reports.get(1);
    assertThat(r1.workerId()).isEqualTo("test-worker");
    assertThat(r1.metrics().testAccuracy()).isNull();
    assertThat(r2.metrics().testAccuracy()).isBetween(0.0, 1.0);
    // 576 training examples, batch 64 → 9 iterations per epoch, one forward and one backward each.
    assertThat(r1.cost().forwardPasses()).isEqualTo(9);
    assertThat(r1.cost().backwardPasses()).isEqualTo(9);
    assertThat(r1.cost().examplesBackward()).isEqualTo(576);
    assertThat(r2.cost().examplesBackward()).isEqualTo(1152);
    assertThat(r1.cost().sgdEpochEquivalents()).isEqualTo(1.0);
    assertThat(r2.cost().sgdEpochEquivalents()).isEqualTo(2.0);
    assertThat(r2.cost().samStepFraction()).isZero();
    assertThat(r2.cost().wallSeconds()).isGreaterThan(r1.cost().wallSeconds());
    assertThat(stats).extracting(EpochStats::iterations).containsExactly(9L, 9L);
    // The synthetic blobs are learnable: well above chance (0.1) after two epochs, and the loss
    // falls.
    assertThat(r2.metrics().valAccuracy()).isGreaterThan(0.6);
    assertThat(r2.metrics().trainLoss()).isLessThan(r1.metrics().trainLoss());
    assertThat(r1.metrics().trainLoss()).isLessThan(Math.log(10) + 0.5);
  }

  @Test
  void aSegmentDeliveredAgainIsNotRetrainedButItsReportsAreResent() throws Exception {
    CheckpointStore store = new CheckpointStore(dir);
    List<EpochReport> first = new ArrayList<>();
    FIXTURE
        .trainer()
        .train(assignment("replay", 0, 2, 4, CONFIG, null), store, (r, s) -> first.add(r));
    long modified =
        Files.getLastModifiedTime(
                store.directory("study-1", "replay", 2).resolve(CheckpointStore.STATE))
            .toMillis();

    List<EpochReport> again = new ArrayList<>();
    List<EpochStats> stats = new ArrayList<>();
    SegmentResult result =
        FIXTURE
            .trainer()
            .train(
                assignment("replay", 0, 2, 4, CONFIG, null),
                store,
                (r, s) -> {
                  again.add(r);
                  stats.add(s);
                });
    assertThat(result.epochsTrained()).isZero();
    assertThat(result.epochsReplayed()).isEqualTo(2);
    assertThat(again).isEqualTo(first);
    assertThat(stats).allMatch(EpochStats::replayed);
    assertThat(
            Files.getLastModifiedTime(
                    store.directory("study-1", "replay", 2).resolve(CheckpointStore.STATE))
                .toMillis())
        .isEqualTo(modified);
    // Intermediate tensors are pruned, the segment's last checkpoint keeps them.
    assertThat(CheckpointStore.hasTensors(store.directory("study-1", "replay", 1))).isFalse();
    assertThat(CheckpointStore.hasTensors(store.directory("study-1", "replay", 2))).isTrue();
  }

  @Test
  void aSegmentInterruptedAfterAnEpochResumesFromItsCheckpoint() {
    CheckpointStore store = new CheckpointStore(dir);
    FIXTURE
        .trainer()
        .train(assignment("uninterrupted", 0, 3, 3, CONFIG, null), store, (r, s) -> {});

    RuntimeException crash = new RuntimeException("worker lost its connection");
    assertThatThrownBy(
            () ->
                FIXTURE
                    .trainer()
                    .train(
                        assignment("crashed", 0, 3, 3, CONFIG, null),
                        store,
                        (r, s) -> {
                          if (r.epoch() == 2) {
                            throw crash;
                          }
                        }))
        .isSameAs(crash);

    List<EpochReport> redelivered = new ArrayList<>();
    List<EpochStats> stats = new ArrayList<>();
    SegmentResult result =
        FIXTURE
            .trainer()
            .train(
                assignment("crashed", 0, 3, 3, CONFIG, null),
                store,
                (r, s) -> {
                  redelivered.add(r);
                  stats.add(s);
                });
    assertThat(result.epochsReplayed()).isEqualTo(2);
    assertThat(result.epochsTrained()).isEqualTo(1);
    assertThat(redelivered).extracting(EpochReport::epoch).containsExactly(1, 2, 3);
    assertThat(stats).extracting(EpochStats::replayed).containsExactly(true, true, false);
    assertThat(params(store.directory("study-1", "crashed", 3)))
        .isDeepEqualTo(params(store.directory("study-1", "uninterrupted", 3)));
  }

  @Test
  void anotherAttemptRetrainsInsteadOfReplaying() {
    CheckpointStore store = new CheckpointStore(dir);
    FIXTURE.trainer().train(assignment("retry", 0, 1, 1, CONFIG, null), store, (r, s) -> {});
    SegmentAssignment a = assignment("retry", 0, 1, 1, CONFIG, null);
    SegmentAssignment attempt1 =
        new SegmentAssignment(
            a.schemaVersion(),
            a.studyId(),
            a.trialId(),
            1,
            a.config(),
            0,
            1,
            1,
            null,
            a.dataset(),
            a.model(),
            a.seed());
    SegmentResult result = FIXTURE.trainer().train(attempt1, store, (r, s) -> {});
    assertThat(result.epochsTrained()).isEqualTo(1);
    assertThat(result.last().attempt()).isEqualTo(1);
    assertThat(CheckpointStore.readState(store.directory("study-1", "retry", 1)).attempt())
        .isEqualTo(1);
  }

  @Test
  void aCheckpointOfAnotherConfigurationIsRefused() {
    CheckpointStore store = new CheckpointStore(dir);
    SegmentResult first =
        FIXTURE.trainer().train(assignment("cfg", 0, 1, 2, CONFIG, null), store, (r, s) -> {});
    Map<String, Object> other = new HashMap<>(CONFIG);
    other.put("lr", 0.1);
    assertThatThrownBy(
            () ->
                FIXTURE
                    .trainer()
                    .train(
                        assignment("cfg", 1, 2, 2, other, first.last().checkpointUri()),
                        store,
                        (r, s) -> {}))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("cannot continue trial cfg")
        .hasMessageContaining("configuration");
    assertThatThrownBy(
            () ->
                FIXTURE
                    .trainer()
                    .train(assignment("missing", 1, 2, 2, CONFIG, null), store, (r, s) -> {}))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("has no state.json");
  }

  @Test
  void unavailableModelsVariantsAndBadKnobsFailBeforeTraining() {
    CheckpointStore store = new CheckpointStore(dir);
    SegmentAssignment a = assignment("bad", 0, 1, 1, CONFIG, null);
    SegmentAssignment vgg =
        new SegmentAssignment(1, "study-1", "bad", 0, CONFIG, 0, 1, 1, null, SYNTHETIC, "vgg", 1L);
    assertThatThrownBy(() -> FIXTURE.trainer().train(vgg, store, (r, s) -> {}))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessageContaining("model 'vgg' is unknown");
    assertThatThrownBy(
            () ->
                FIXTURE
                    .trainer()
                    .train(
                        assignment("bad", 0, 1, 1, Map.of("variant", "adam"), null),
                        store,
                        (r, s) -> {}))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("config.variant 'adam' is unknown");
    assertThatThrownBy(
            () ->
                FIXTURE
                    .trainer()
                    .train(
                        assignment("bad", 0, 1, 1, Map.of("variant", "esam", "beta", 1.5), null),
                        store,
                        (r, s) -> {}))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("config.beta must be in (0.0, 1.0], got 1.5");
    assertThatThrownBy(
            () ->
                FIXTURE
                    .trainer()
                    .train(
                        assignment("bad", 0, 1, 1, Map.of("variant", "sam", "rh0", 0.1), null),
                        store,
                        (r, s) -> {}))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("config.rh0 is not a training knob");
    assertThatThrownBy(
            () ->
                FIXTURE
                    .trainer()
                    .train(
                        assignment("bad", 0, 1, 1, Map.of("batch-size", "big"), null),
                        store,
                        (r, s) -> {}))
        .hasMessageContaining("config.batch-size must be an integer, got \"big\"");
    SegmentAssignment backwards =
        new SegmentAssignment(1, "study-1", "bad", 0, CONFIG, 2, 1, 1, null, SYNTHETIC, "mlp", 1L);
    assertThatThrownBy(() -> FIXTURE.trainer().train(backwards, store, (r, s) -> {}))
        .isInstanceOf(InvalidAssignmentException.class)
        .hasMessageContaining("toEpoch must be > fromEpoch");
    assertThat(a.segmentKey()).isEqualTo("bad#0#0-1");
  }

  @Test
  void aDivergingTrialFailsWithTheIteration() {
    CheckpointStore store = new CheckpointStore(dir);
    Map<String, Object> explosive = Map.of("lr", 100.0, "momentum", 0.99, "batch-size", 64);
    assertThatThrownBy(
            () ->
                FIXTURE
                    .trainer()
                    .train(assignment("boom", 0, 3, 3, explosive, null), store, (r, s) -> {}))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("training loss became")
        .hasMessageContaining("at iteration");
  }

  @Test
  void trainingLeavesNoArraysInTheDatasetManager() {
    TrainingData data = FIXTURE.datasets().get(SYNTHETIC);
    int before = ((BaseNDManager) data.manager()).getManagedArrays().size();
    FIXTURE
        .trainer()
        .train(assignment("leak", 0, 1, 1, CONFIG, null), new CheckpointStore(dir), (r, s) -> {});
    assertThat(FIXTURE.datasets().get(SYNTHETIC)).isSameAs(data);
    assertThat(((BaseNDManager) data.manager()).getManagedArrays()).hasSize(before);
  }

  @Test
  void trainsOnAThreadOtherThanTheOneThatLoadedTheEngine() throws Exception {
    // PyTorch's grad mode is per thread; a fresh thread starts with it on (as a Quarkus worker
    // thread does).
    List<Object> outcome = new ArrayList<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                outcome.add(
                    FIXTURE
                        .trainer()
                        .train(
                            assignment("thread", 0, 1, 1, CONFIG, null),
                            new CheckpointStore(dir),
                            (r, s) -> {}));
              } catch (RuntimeException e) {
                outcome.add(e);
              }
            });
    worker.start();
    worker.join();
    assertThat(outcome).singleElement().isInstanceOf(SegmentResult.class);
  }

  @Test
  void idsBecomeSafeDirectoryNames() {
    CheckpointStore store = new CheckpointStore(dir);
    assertThat(store.directory("../etc", "a/b", 3))
        .isEqualTo(dir.toAbsolutePath().resolve("%2E.%2Fetc").resolve("a%2Fb").resolve("epoch-3"));
    assertThat(CheckpointStore.segment("trial-7_x.y")).isEqualTo("trial-7_x.y");
    assertThatThrownBy(() -> CheckpointStore.directoryOf("s3://bucket/x"))
        .hasMessageContaining("not a file: URI");
  }

  @Test
  void validationMetricsAreComputedOverTheWholeSplit() {
    List<EpochReport> reports = new ArrayList<>();
    FIXTURE
        .trainer()
        .train(
            assignment("eval", 0, 1, 1, CONFIG, null),
            new CheckpointStore(dir),
            (r, s) -> reports.add(r));
    double acc = reports.get(0).metrics().valAccuracy();
    // 64 validation examples: the accuracy is a multiple of 1/64.
    assertThat(acc * 64).isCloseTo(Math.rint(acc * 64), within(1e-9));
    assertThat(reports.get(0).metrics().valLoss()).isPositive();
  }
}
