package io.sharpsweep.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.engine.TorchRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10/100 binary batches written here in the exact format of the distributions. */
class CifarTest {
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

  /**
   * Record {@code i}: label {@code labels[i]} (after {@code coarse} bytes), every red pixel 255,
   * green {@code i}, blue 128.
   */
  private static byte[] records(int first, int[] labels, boolean coarse) {
    int size = (coarse ? 2 : 1) + Cifar.PIXELS;
    byte[] out = new byte[labels.length * size];
    for (int r = 0; r < labels.length; r++) {
      int o = r * size;
      if (coarse) {
        out[o++] = (byte) (labels[r] / 5); // coarse label: ignored
      }
      out[o++] = (byte) labels[r];
      Arrays.fill(out, o, o + 1024, (byte) 255);
      Arrays.fill(out, o + 1024, o + 2048, (byte) (first + r));
      Arrays.fill(out, o + 2048, o + 3072, (byte) 128);
    }
    return out;
  }

  private void cifar10(Path d) throws IOException {
    Files.createDirectories(d);
    for (int b = 1; b <= 5; b++) {
      Files.write(
          d.resolve("data_batch_" + b + ".bin"), records(2 * (b - 1), new int[] {b, 9 - b}, false));
    }
    Files.write(d.resolve("test_batch.bin"), records(100, new int[] {0, 1, 2}, false));
  }

  private static DatasetSpec spec(String name, Path path, Integer trainLimit) {
    return new DatasetSpec(name, path.toString(), 0.2, null, trainLimit, null);
  }

  @Test
  void readsCifar10BatchesIntoNormalisedTensors() throws IOException {
    cifar10(dir);
    try (TrainingData data = new DatasetLoader(dir).load(spec("cifar10", dir, null), manager)) {
      assertThat(data.classes()).isEqualTo(10);
      assertThat(data.sampleShape()).isEqualTo(new Shape(3, 32, 32));
      assertThat(data.train().size() + data.validation().size()).isEqualTo(10);
      assertThat(data.validation().size()).isEqualTo(2);
      assertThat(data.test().size()).isEqualTo(3);
      assertThat(data.test().labels().toLongArray()).containsExactly(0, 1, 2);
      float[] first = data.test().features().get(new NDIndex(1)).toFloatArray();
      assertThat(first).hasSize(3072);
      assertThat((double) first[0]).isCloseTo((1 - 0.4914) / 0.2470, within(1e-5));
      assertThat((double) first[1024]).isCloseTo((101 / 255.0 - 0.4822) / 0.2435, within(1e-5));
      assertThat((double) first[3071]).isCloseTo((128 / 255.0 - 0.4465) / 0.2616, within(1e-5));
      // Labels b and 9 − b of data_batch_b, whichever split they landed in.
      assertThat(
              concat(data.train().labels().toLongArray(), data.validation().labels().toLongArray()))
          .containsExactly(1, 2, 3, 4, 4, 5, 5, 6, 7, 8);
    }
  }

  private static long[] concat(long[] a, long[] b) {
    long[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    Arrays.sort(out);
    return out;
  }

  @Test
  void findsTheStandardSubdirectoryAndHonoursTheLimit() throws IOException {
    cifar10(dir.resolve("cifar-10-batches-bin"));
    try (TrainingData data = new DatasetLoader(dir).load(spec("cifar10", dir, 5), manager)) {
      assertThat(data.train().size() + data.validation().size()).isEqualTo(5);
    }
  }

  @Test
  void readsCifar100FineLabels() throws IOException {
    Files.write(dir.resolve("train.bin"), records(0, new int[] {99, 42, 7, 0, 63}, true));
    Files.write(dir.resolve("test.bin"), records(0, new int[] {55, 98}, true));
    try (TrainingData data = new DatasetLoader(dir).load(spec("cifar100", dir, null), manager)) {
      assertThat(data.classes()).isEqualTo(100);
      assertThat(data.test().labels().toLongArray()).containsExactly(55, 98);
      float[] x = data.test().features().get(new NDIndex(0)).toFloatArray();
      assertThat((double) x[0]).isCloseTo((1 - 0.5071) / 0.2673, within(1e-5));
    }
  }

  @Test
  void aMissingOrCorruptFileIsOneErrorNamingIt() throws IOException {
    cifar10(dir);
    DatasetLoader loader = new DatasetLoader(dir);
    Files.delete(dir.resolve("data_batch_3.bin"));
    assertThatThrownBy(() -> loader.load(spec("cifar10", dir, null), manager))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("data_batch_3.bin")
        .hasMessageContaining("does not exist");
    cifar10(dir);
    byte[] truncated = Arrays.copyOf(records(0, new int[] {1, 2}, false), 3073 + 100);
    Files.write(dir.resolve("data_batch_2.bin"), truncated);
    assertThatThrownBy(() -> loader.load(spec("cifar10", dir, null), manager))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("data_batch_2.bin")
        .hasMessageContaining("is not a whole number of 3073-byte cifar10 records");
    cifar10(dir);
    Files.write(dir.resolve("test_batch.bin"), records(0, new int[] {3, 10}, false));
    assertThatThrownBy(() -> loader.load(spec("cifar10", dir, null), manager))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("test_batch.bin")
        .hasMessageContaining("label 10 of record 1 is not below the class count 10");
    assertThatThrownBy(() -> loader.load(spec("cifar10", dir.resolve("nope"), null), manager))
        .hasMessageContaining("dataset directory")
        .hasMessageContaining("nope");
  }
}
