package io.sharpsweep.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.sharpsweep.protocol.messages.EpochReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two epochs straight give the same parameters, optimizer state and reports as one epoch,
 * checkpoint, resume, one epoch — for the variants that carry state across iterations: AE-SAM's
 * moments, LookSAM's stored direction (9 iterations per epoch, k = 5: the resumed epoch reuses the
 * direction stored at iteration 5), ESAM's mask stream and RST's decision stream.
 */
class ResumeTest {
  @RegisterExtension static final TrainerFixture FIXTURE = new TrainerFixture("resume-test");

  @TempDir Path dir;

  static List<Object[]> variants() {
    return List.of(
        new Object[] {
          "ae-sam",
          Map.of("variant", "ae-sam", "batch-size", 64),
          List.of("adaptive.mean", "adaptive.variance")
        },
        new Object[] {
          "looksam", Map.of("variant", "looksam", "k", 5, "batch-size", 64), List.of("looksam.norm")
        },
        new Object[] {
          "esam",
          Map.of("variant", "esam", "beta", 0.5, "gamma", 0.5, "batch-size", 64),
          List.<String>of()
        },
        new Object[] {
          "rst", Map.of("variant", "rst", "p", 0.5, "batch-size", 64), List.<String>of()
        },
        new Object[] {
          "ae-looksam", Map.of("variant", "ae-looksam", "batch-size", 64), List.of("looksam.norm")
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void twoEpochsStraightEqualOnePlusResumePlusOne(
      String variant, Map<String, Object> config, List<String> numbers) {
    CheckpointStore store = new CheckpointStore(dir);
    List<EpochReport> straight = new ArrayList<>();
    FIXTURE
        .trainer()
        .train(
            SegmentTrainerTest.assignment("straight", 0, 2, 2, config, null),
            store,
            (r, s) -> straight.add(r));
    List<EpochReport> split = new ArrayList<>();
    SegmentResult first =
        FIXTURE
            .trainer()
            .train(
                SegmentTrainerTest.assignment("split", 0, 1, 2, config, null),
                store,
                (r, s) -> split.add(r));
    CheckpointState state = CheckpointStore.readState(store.directory("study-1", "split", 1));
    assertThat(state.ruleState()).containsKeys(numbers.toArray(String[]::new));
    switch (variant) {
      case "esam" -> assertThat(state.ruleIntegers()).containsKey("swp.state");
      case "rst" -> assertThat(state.ruleIntegers()).containsKey("random.state");
      case "looksam", "ae-looksam" ->
          assertThat(state.ruleIntegers()).containsKey("looksam.stored");
      default -> assertThat(state.ruleIntegers()).containsKey("adaptive.updates");
    }
    FIXTURE
        .trainer()
        .train(
            SegmentTrainerTest.assignment("split", 1, 2, 2, config, first.last().checkpointUri()),
            store,
            (r, s) -> split.add(r));

    Path a = store.directory("study-1", "straight", 2);
    Path b = store.directory("study-1", "split", 2);
    assertThat(tensors(b, false)).isDeepEqualTo(tensors(a, false));
    assertThat(tensors(b, true)).isDeepEqualTo(tensors(a, true));
    assertThat(CheckpointStore.readState(b).ruleState())
        .isEqualTo(CheckpointStore.readState(a).ruleState());
    assertThat(CheckpointStore.readState(b).ruleIntegers())
        .isEqualTo(CheckpointStore.readState(a).ruleIntegers());
    for (int i = 0; i < 2; i++) {
      assertThat(split.get(i).metrics()).isEqualTo(straight.get(i).metrics());
      assertThat(split.get(i).cost().samStepFraction())
          .isEqualTo(straight.get(i).cost().samStepFraction());
      assertThat(split.get(i).cost().forwardPasses())
          .isEqualTo(straight.get(i).cost().forwardPasses());
    }
    if (variant.equals("looksam")) {
      try (NDManager m = FIXTURE.root().newSubManager()) {
        assertThat(CheckpointStore.readRuleTensors(b, m).size()).isEqualTo(6); // g_v per tensor
      }
    }
  }

  /** Every tensor as float64 values (exact for float32), the optimizer's buffer scale included. */
  private static double[][] tensors(Path checkpoint, boolean optimizer) {
    try (NDManager m = FIXTURE.root().newSubManager()) {
      return (optimizer
              ? CheckpointStore.readOptimizerState(checkpoint, m)
              : CheckpointStore.readParams(checkpoint, m))
          .stream()
              .map(a -> a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray())
              .toArray(double[][]::new);
    }
  }
}
