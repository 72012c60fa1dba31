package io.sharpsweep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sharpsweep.cli.SharpSweep;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.replay.Npz;
import io.sharpsweep.worker.replay.Replay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}, {@code replay} and {@code bench-train} as a user runs them: options reach the
 * engine, the JSON has the documented keys, and bad input is one line and a non-zero exit.
 */
class TrainingCommandsTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = SharpSweep.run(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String out) {
    String[] lines = out.strip().split("\n");
    return Json.decode(lines[lines.length - 1], Map.class);
  }

  @Test
  void trainPrintsTheMetricsAndCostsOfOneConfiguration() {
    Run r =
        run(
            "train",
            "--dataset",
            "synthetic",
            "--train-limit",
            "640",
            "--test-limit",
            "200",
            "--model",
            "mlp",
            "--variant",
            "sam",
            "--rho",
            "0.05",
            "--epochs",
            "2",
            "--batch-size",
            "64",
            "--lr",
            "0.05",
            "--seed",
            "3",
            "--threads",
            "1",
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, Object> m = json(r.out());
    assertThat(m)
        .containsKeys(
            "valAccuracy",
            "testAccuracy",
            "trainLoss",
            "samStepFraction",
            "sgdEpochEquivalents",
            "stepMillisMedian",
            "imagesPerSecond",
            "forwardPasses",
            "backwardPasses");
    // 576 training examples (10% validation) in batches of 64: 9 iterations per epoch, all SAM.
    assertThat(((Number) m.get("samStepFraction")).doubleValue()).isEqualTo(1.0);
    assertThat(((Number) m.get("forwardPasses")).longValue()).isEqualTo(36);
    assertThat(((Number) m.get("backwardPasses")).longValue()).isEqualTo(36);
    assertThat(((Number) m.get("sgdEpochEquivalents")).doubleValue()).isCloseTo(4.0, within(1e-9));
    // ten well-separated blobs: two epochs learn them
    assertThat(((Number) m.get("valAccuracy")).doubleValue()).isGreaterThan(0.5);
  }

  @Test
  void aKnobOutsideItsRuleIsOneLineAndANonZeroExit() {
    Run r =
        run(
            "train",
            "--dataset",
            "synthetic",
            "--train-limit",
            "200",
            "--variant",
            "esam",
            "--beta",
            "1.5",
            "--epochs",
            "1",
            "--threads",
            "1");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err().strip()).doesNotContain("\n").contains("beta").contains("1.5");
    Run missing =
        run(
            "train",
            "--dataset",
            "fashion-mnist",
            "--data",
            dir.resolve("absent").toString(),
            "--epochs",
            "1",
            "--threads",
            "1");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err().strip()).doesNotContain("\n").contains("absent");
  }

  @Test
  void replayRunsExactlyTheGivenStepsWithTheGivenKnobs() {
    writeInputs(2, 8);
    float[][] sgd = replay("sgd", "0.05");
    float[][] samRhoZero = replay("sam", "0.05", "--rho", "0");
    float[][] sam = replay("sam", "0.05", "--rho", "0.05");
    float[][] init = read(dir.resolve("init.npz"));
    assertThat(sgd[0]).isNotEqualTo(init[0]);
    // docs/sam-variants.md, test T16: SAM with ρ = 0 is SGD bit for bit; with ρ > 0 it is not.
    for (int t = 0; t < 6; t++) {
      assertThat(samRhoZero[t]).containsExactly(sgd[t]);
    }
    assertThat(sam[0]).isNotEqualTo(sgd[0]);
    Path never = dir.resolve("never.npz");
    Run zero = run(replayArgs("sgd", "0", 2, never));
    assertThat(zero.exit()).isNotZero();
    assertThat(zero.err().strip())
        .isEqualTo("sharpsweep: config.lr must be in (0.0, 100.0], got 0.0");
    assertThat(never).doesNotExist();
    Run tooMany = run(replayArgs("sgd", "0.05", 3, never));
    assertThat(tooMany.exit()).isNotZero();
    assertThat(tooMany.err().strip()).doesNotContain("\n").contains("3");
  }

  @Test
  void benchTrainTimesEveryRequestedVariantAgainstSgd() {
    Run r =
        run(
            "bench-train",
            "--model",
            "mlp",
            "--dataset",
            "synthetic",
            "--batch-size",
            "32",
            "--steps",
            "4",
            "--warmup",
            "1",
            "--round",
            "2",
            "--variants",
            "sam,looksam",
            "--threads",
            "1",
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, Object> m = json(r.out());
    assertThat(m).containsEntry("model", "mlp");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> v = (Map<String, Map<String, Object>>) m.get("variants");
    assertThat(v).containsOnlyKeys("sgd", "sam", "looksam");
    assertThat(((Number) v.get("sgd").get("ratioToSgd")).doubleValue()).isEqualTo(1.0);
    assertThat(((Number) v.get("sam").get("samStepFraction")).doubleValue()).isEqualTo(1.0);
    assertThat(((Number) v.get("sam").get("stepMillisMedian")).doubleValue()).isPositive();
  }

  /** {@code replay} of the first {@code steps} batches of the inputs {@link #writeInputs} wrote. */
  private String[] replayArgs(String variant, String lr, int steps, Path out, String... knobs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "replay",
                "--variant",
                variant,
                "--lr",
                lr,
                "--momentum",
                "0.9",
                "--weight-decay",
                "5e-4",
                "--params",
                dir.resolve("init.npz").toString(),
                "--batches",
                dir.resolve("batches.npz").toString(),
                "--steps",
                Integer.toString(steps),
                "--threads",
                "1",
                "--out",
                out.toString()));
    args.addAll(List.of(knobs));
    return args.toArray(String[]::new);
  }

  private float[][] replay(String variant, String lr, String... knobs) {
    Path out = dir.resolve("final-" + variant + "-" + lr + String.join("_", knobs) + ".npz");
    Run r = run(replayArgs(variant, lr, 2, out, knobs));
    assertThat(r.exit()).as(r.err()).isZero();
    return read(out);
  }

  private static float[][] read(Path npz) {
    Map<String, Npz.Entry> entries = Npz.read(npz);
    float[][] out = new float[6][];
    try (NDManager m = TorchRuntime.engine().newBaseManager()) {
      for (int t = 0; t < 6; t++) {
        out[t] = entries.get(Replay.NAMES.get(t)).toNDArray(m).toFloatArray();
      }
    }
    return out;
  }

  private void writeInputs(int steps, int batch) {
    TorchRuntime.initialise(1);
    long[][] shapes = {{256, 784}, {256}, {128, 256}, {128}, {10, 128}, {10}};
    try (NDManager m = TorchRuntime.engine().newBaseManager()) {
      m.getEngine().setRandomSeed(11);
      List<Npz.Entry> params = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        params.add(
            Npz.Entry.of(
                Replay.NAMES.get(t), m.randomUniform(-0.05f, 0.05f, new Shape(shapes[t]))));
      }
      Npz.write(dir.resolve("init.npz"), params);
      Npz.write(
          dir.resolve("batches.npz"),
          List.of(
              Npz.Entry.of("x", m.randomUniform(0f, 1f, new Shape(steps, batch, 784))),
              Npz.Entry.of(
                  "y",
                  m.randomInteger(
                      0, 10, new Shape(steps, batch), ai.djl.ndarray.types.DataType.INT64))));
    }
  }
}
