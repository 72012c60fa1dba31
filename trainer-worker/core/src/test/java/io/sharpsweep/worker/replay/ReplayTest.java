package io.sharpsweep.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.engine.TorchRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay mode against {@link ReferenceMlp}, an independent plain-Java implementation: 3 steps
 * of SGD and of SAM (momentum 0.9, weight decay 5e-4, lr 0.05, ρ 0.05) from random weights on
 * batches of 4. In float64 the results agree to rounding (1e-12); in float32 to 1e-5.
 */
class ReplayTest {
  private static final int K = 3;
  private static final int B = 4;
  private static final Map<String, Object> KNOBS =
      Map.of("lr", 0.05, "momentum", 0.9, "weight-decay", 5e-4, "rho", 0.05);

  @TempDir Path dir;
  private NDManager manager;
  private double[][] init;
  private double[][][] xs;
  private long[][] ys;

  @BeforeEach
  void writeInputs() {
    manager = TorchRuntime.engine().newBaseManager();
    Random rng = new Random(2024);
    init = new double[6][];
    int[] sizes = ReferenceMlp.SIZES;
    for (int l = 0; l < 3; l++) {
      double bound = 1 / Math.sqrt(sizes[l]);
      init[2 * l] = uniform(rng, sizes[l + 1] * sizes[l], bound);
      init[2 * l + 1] = uniform(rng, sizes[l + 1], bound);
    }
    xs = new double[K][B][784];
    ys = new long[K][B];
    for (int k = 0; k < K; k++) {
      for (int i = 0; i < B; i++) {
        for (int j = 0; j < 784; j++) {
          xs[k][i][j] = rng.nextDouble();
        }
        ys[k][i] = rng.nextInt(10);
      }
    }
    List<Npz.Entry> params = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      params.add(
          Npz.Entry.of(Replay.NAMES.get(t), manager.create(init[t]).reshape(Replay.SHAPES.get(t))));
    }
    Npz.write(dir.resolve("init.npz"), params);
    double[] flatX = new double[K * B * 784];
    long[] flatY = new long[K * B];
    for (int k = 0; k < K; k++) {
      for (int i = 0; i < B; i++) {
        System.arraycopy(xs[k][i], 0, flatX, (k * B + i) * 784, 784);
        flatY[k * B + i] = ys[k][i];
      }
    }
    Npz.write(
        dir.resolve("batches.npz"),
        List.of(
            Npz.Entry.of("x", manager.create(flatX).reshape(new Shape(K, B, 784))),
            Npz.Entry.of("y", manager.create(flatY).reshape(new Shape(K, B)))));
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private static double[] uniform(Random rng, int n, double bound) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = (rng.nextDouble() * 2 - 1) * bound;
    }
    return out;
  }

  private double[][] reference(boolean sam) {
    double[][] p = new double[6][];
    double[][] buffers = new double[6][];
    for (int t = 0; t < 6; t++) {
      p[t] = init[t].clone();
      buffers[t] = new double[init[t].length];
    }
    for (int k = 0; k < K; k++) {
      double[][] d =
          sam
              ? ReferenceMlp.samDirection(p, xs[k], ys[k], 0.05)
              : ReferenceMlp.gradient(p, xs[k], ys[k]);
      ReferenceMlp.sgd(p, d, buffers, k == 0, 0.05, 0.9, 5e-4);
    }
    return p;
  }

  private double[][] replay(String variant, DataType type, String out) {
    Replay.Result result =
        Replay.run(
            new Replay.Request(
                variant,
                KNOBS,
                dir.resolve("init.npz"),
                dir.resolve("batches.npz"),
                K,
                type,
                1,
                dir.resolve(out)));
    assertThat(result.steps()).isEqualTo(K);
    Map<String, Npz.Entry> written = Npz.read(dir.resolve(out));
    assertThat(written.keySet()).containsExactlyElementsOf(Replay.NAMES);
    double[][] p = new double[6][];
    for (int t = 0; t < 6; t++) {
      Npz.Entry e = written.get(Replay.NAMES.get(t));
      assertThat(e.dataType()).isEqualTo(type);
      assertThat(e.shape()).isEqualTo(Replay.SHAPES.get(t));
      p[t] = e.toNDArray(manager).toType(DataType.FLOAT64, false).toDoubleArray();
    }
    return p;
  }

  private static double maxAbsDifference(double[][] a, double[][] b) {
    double max = 0;
    for (int t = 0; t < a.length; t++) {
      for (int i = 0; i < a[t].length; i++) {
        max = Math.max(max, Math.abs(a[t][i] - b[t][i]));
      }
    }
    return max;
  }

  @Test
  void sgdReplayInFloat64MatchesTheReferenceToRounding() {
    double[][] ref = reference(false);
    assertThat(maxAbsDifference(replay("sgd", DataType.FLOAT64, "sgd64.npz"), ref))
        .isLessThan(1e-12);
    assertThat(maxAbsDifference(replay("sgd", DataType.FLOAT32, "sgd32.npz"), ref))
        .isLessThan(1e-5);
    // The steps moved the weights well beyond those tolerances.
    assertThat(maxAbsDifference(ref, init)).isGreaterThan(1e-3);
  }

  @Test
  void samReplayInFloat64MatchesTheReferenceToRounding() {
    double[][] ref = reference(true);
    assertThat(maxAbsDifference(replay("sam", DataType.FLOAT64, "sam64.npz"), ref))
        .isLessThan(1e-12);
    assertThat(maxAbsDifference(replay("sam", DataType.FLOAT32, "sam32.npz"), ref))
        .isLessThan(1e-5);
    // SAM differs from SGD by far more than the tolerance.
    assertThat(maxAbsDifference(ref, reference(false))).isGreaterThan(1e-5);
  }

  @Test
  void esamReplayIsDeterministicForASeed() {
    double[][] a = replay("esam", DataType.FLOAT64, "a.npz");
    double[][] b = replay("esam", DataType.FLOAT64, "b.npz");
    assertThat(a).isDeepEqualTo(b);
  }

  @Test
  void badInputsAreClearErrors() {
    assertThatThrownBy(
            () ->
                Replay.run(
                    new Replay.Request(
                        "sam",
                        KNOBS,
                        dir.resolve("batches.npz"),
                        dir.resolve("batches.npz"),
                        K,
                        DataType.FLOAT32,
                        1,
                        dir.resolve("x.npz"))))
        .isInstanceOf(NpzException.class)
        .hasMessageContaining("has no array 'fc1.weight'");
    assertThatThrownBy(
            () ->
                Replay.run(
                    new Replay.Request(
                        "sam",
                        KNOBS,
                        dir.resolve("init.npz"),
                        dir.resolve("batches.npz"),
                        K + 1,
                        DataType.FLOAT32,
                        1,
                        dir.resolve("x.npz"))))
        .hasMessageContaining("holds 3 batches, fewer than the 4 steps");
    assertThatThrownBy(
            () ->
                Replay.run(
                    new Replay.Request(
                        "sam",
                        Map.of("rho", -1.0),
                        dir.resolve("init.npz"),
                        dir.resolve("batches.npz"),
                        K,
                        DataType.FLOAT32,
                        1,
                        dir.resolve("x.npz"))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("config.rho must be in [0.0, 10.0], got -1.0");
  }
}
