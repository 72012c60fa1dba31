package io.sharpsweep.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sharpsweep.worker.engine.TorchRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code .npz} reading and writing. The resources were written by NumPy 1.24.2:
 *
 * <pre>
 * arrays = dict(f32=(np.arange(6, dtype='&lt;f4').reshape(2, 3) / 7).astype('&lt;f4'),
 *               f64=np.array([1.5, -2.25, 1e-300]), i64=np.array([[1, 2], [3, -4]]),
 *               i32=np.array([7, -8, 9], dtype='&lt;i4'), be=np.array([1.0, 2.0], dtype='&gt;f8'),
 *               scalar=np.float32(3.5))
 * np.savez('numpy-savez.npz', **arrays); np.savez_compressed('numpy-savez-compressed.npz', **arrays)
 * </pre>
 *
 * Files this class writes were checked the other way with {@code numpy.load} (see
 * trainer-worker/bench/replay_reference.py).
 */
class NpzTest {
  @TempDir Path dir;
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = TorchRuntime.engine().newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private static Path resource(String name) {
    return Path.of("src/test/resources/replay", name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"numpy-savez.npz", "numpy-savez-compressed.npz"})
  void readsWhatNumpyWrites(String file) {
    Map<String, Npz.Entry> in = Npz.read(resource(file));
    assertThat(in).containsOnlyKeys("f32", "f64", "i64", "i32", "be", "scalar");
    NDArray f32 = in.get("f32").toNDArray(manager);
    assertThat(f32.getShape()).isEqualTo(new Shape(2, 3));
    assertThat(f32.getDataType()).isEqualTo(DataType.FLOAT32);
    assertThat(f32.toFloatArray())
        .containsExactly(0f, 1 / 7f, 2 / 7f, 3 / 7f, (float) (4 / 7.0), (float) (5 / 7.0));
    assertThat(in.get("f64").toNDArray(manager).toDoubleArray())
        .containsExactly(1.5, -2.25, 1e-300);
    assertThat(in.get("i64").toNDArray(manager).toLongArray()).containsExactly(1, 2, 3, -4);
    assertThat(in.get("i32").toNDArray(manager).toIntArray()).containsExactly(7, -8, 9);
    assertThat(in.get("be").toNDArray(manager).toDoubleArray()).containsExactly(1.0, 2.0);
    NDArray scalar = in.get("scalar").toNDArray(manager);
    assertThat(scalar.getShape()).isEqualTo(new Shape());
    assertThat(scalar.getFloat()).isEqualTo(3.5f);
  }

  @Test
  void roundTripsEveryTypeAndShape() {
    Path file = dir.resolve("out.npz");
    List<Npz.Entry> entries =
        List.of(
            Npz.Entry.of("fc1.weight", manager.create(new float[][] {{1.5f, -2}, {3, 4}})),
            Npz.Entry.of("v", manager.create(new double[] {Math.PI, -0.0, 1e-310})),
            Npz.Entry.of("y", manager.create(new long[][] {{1, 2, 3}})),
            Npz.Entry.of("s", manager.create(2.5f)));
    Npz.write(file, entries);
    Map<String, Npz.Entry> back = Npz.read(file);
    assertThat(back.keySet()).containsExactly("fc1.weight", "v", "y", "s");
    assertThat(back.get("fc1.weight").toNDArray(manager).toFloatArray())
        .containsExactly(1.5f, -2, 3, 4);
    assertThat(back.get("fc1.weight").shape()).isEqualTo(new Shape(2, 2));
    assertThat(back.get("v").toNDArray(manager).toDoubleArray())
        .containsExactly(Math.PI, -0.0, 1e-310);
    assertThat(back.get("y").shape()).isEqualTo(new Shape(1, 3));
    assertThat(back.get("s").shape()).isEqualTo(new Shape());
  }

  @Test
  void badFilesAreOneErrorNamingTheFile() throws IOException {
    assertThatThrownBy(() -> Npz.read(dir.resolve("missing.npz")))
        .isInstanceOf(NpzException.class)
        .hasMessageContaining("missing.npz does not exist");
    Path text = dir.resolve("text.npz");
    Files.writeString(text, "not a zip");
    assertThatThrownBy(() -> Npz.read(text))
        .isInstanceOf(NpzException.class)
        .hasMessageContaining("text.npz is not an .npz archive");
  }
}
