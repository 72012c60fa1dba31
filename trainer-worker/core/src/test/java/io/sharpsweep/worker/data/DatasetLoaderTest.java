package io.sharpsweep.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.engine.TorchRuntime;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {
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

  private static DatasetSpec spec(
      String name, Double validation, Double noise, Integer trainLimit, Integer testLimit) {
    return new DatasetSpec(name, null, validation, noise, trainLimit, testLimit);
  }

  @Test
  void syntheticIsSeededAndSplitByTheValidationFraction() {
    DatasetLoader loader = new DatasetLoader(dir);
    try (TrainingData a = loader.load(spec("synthetic", 0.2, null, 500, 100), manager);
        TrainingData b = loader.load(spec("synthetic", 0.2, null, 500, 100), manager)) {
      assertThat(a.train().size()).isEqualTo(400);
      assertThat(a.validation().size()).isEqualTo(100);
      assertThat(a.test().size()).isEqualTo(100);
      assertThat(a.sampleShape()).isEqualTo(new Shape(1, 28, 28));
      assertThat(a.train().features().getShape()).isEqualTo(new Shape(400, 1, 28, 28));
      assertThat(a.train().features().getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(a.train().labels().getDataType()).isEqualTo(DataType.INT64);
      assertThat(a.train().features().contentEquals(b.train().features())).isTrue();
      assertThat(a.validation().labels().contentEquals(b.validation().labels())).isTrue();
      long[] counts = new long[10];
      for (long y : a.train().labels().toLongArray()) {
        counts[(int) y]++;
      }
      assertThat(Arrays.stream(counts).min().getAsLong()).isGreaterThan(20);
    }
  }

  @Test
  void defaultValidationFractionIsTenPercent() {
    try (TrainingData d =
        new DatasetLoader(dir).load(spec("synthetic", null, null, null, null), manager)) {
      assertThat(d.validation().size()).isEqualTo(DatasetLoader.SYNTHETIC_TRAIN / 10);
      assertThat(d.train().size()).isEqualTo(DatasetLoader.SYNTHETIC_TRAIN * 9 / 10);
      assertThat(d.test().size()).isEqualTo(DatasetLoader.SYNTHETIC_TEST);
    }
  }

  @Test
  void fashionMnistFromGzippedIdxIsScaledToUnitRangeAndLimited() throws Exception {
    IdxFixtures.writeFashionMnist(dir, 50, 20, true);
    try (TrainingData d =
        new DatasetLoader(dir).load(spec("fashion-mnist", 0.2, null, 40, 10), manager)) {
      assertThat(d.train().size() + d.validation().size()).isEqualTo(40);
      assertThat(d.validation().size()).isEqualTo(8);
      assertThat(d.test().size()).isEqualTo(10);
      // Test image 3 is the 4th in file order: pixel j = (3 + j) % 256, scaled by 1/255.
      float[] pixels = d.test().features().get(3).toFloatArray();
      assertThat(pixels[0]).isCloseTo(3 / 255f, within(1e-7f));
      assertThat(pixels[252]).isCloseTo(255 / 255f, within(1e-7f));
      assertThat(pixels[253]).isZero();
      assertThat(d.test().labels().toLongArray()).startsWith(0, 1, 2, 3);
      float max = d.train().features().max().getFloat();
      float min = d.train().features().min().getFloat();
      assertThat(min).isGreaterThanOrEqualTo(0f);
      assertThat(max).isLessThanOrEqualTo(1f);
    }
  }

  @Test
  void specPathOverridesTheConfiguredDirectory() throws Exception {
    Path other = dir.resolve("other");
    IdxFixtures.writeFashionMnist(other, 30, 10, false);
    DatasetSpec s = new DatasetSpec("fashion-mnist", other.toString(), 0.1, null, null, null);
    try (TrainingData d = new DatasetLoader(dir.resolve("missing")).load(s, manager)) {
      assertThat(d.train().size()).isEqualTo(27);
    }
  }

  @Test
  void labelNoiseFlipsTheRequestedShareOfTrainingLabelsOnly() {
    DatasetLoader loader = new DatasetLoader(dir);
    try (TrainingData clean = loader.load(spec("synthetic", 0.1, null, 2000, 10), manager);
        TrainingData noisy = loader.load(spec("synthetic", 0.1, 0.3, 2000, 10), manager)) {
      long[] a = clean.train().labels().toLongArray();
      long[] b = noisy.train().labels().toLongArray();
      long flipped = 0;
      for (int i = 0; i < a.length; i++) {
        flipped += a[i] != b[i] ? 1 : 0;
      }
      assertThat(a).hasSize(1800);
      assertThat(flipped).isEqualTo(540); // exactly round(0.3 · 1800)
      assertThat(noisy.validation().labels().toLongArray())
          .isEqualTo(clean.validation().labels().toLongArray());
    }
  }

  @Test
  void invalidSpecsAreNamedByField() {
    DatasetLoader loader = new DatasetLoader(dir);
    assertThatThrownBy(() -> loader.load(spec("synthetic", 1.0, null, null, null), manager))
        .hasMessageContaining("dataset.validationFraction must be in (0, 1)");
    assertThatThrownBy(() -> loader.load(spec("synthetic", null, -0.1, null, null), manager))
        .hasMessageContaining("dataset.labelNoise");
    assertThatThrownBy(() -> loader.load(spec("synthetic", null, null, 0, null), manager))
        .hasMessageContaining("dataset.trainLimit must be > 0");
    assertThatThrownBy(() -> loader.load(spec("synthetic", 0.01, null, 20, null), manager))
        .hasMessageContaining("leaves 0 for validation");
    assertThatThrownBy(() -> loader.load(spec("cifar10", null, null, null, null), manager))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> loader.load(spec("imagenet", null, null, null, null), manager))
        .hasMessageContaining("unknown");
    assertThatThrownBy(() -> loader.load(spec("fashion-mnist", null, null, null, null), manager))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("train-images-idx3-ubyte");
  }

  @Test
  void epochOrderDependsOnlyOnSeedAndEpoch() {
    long[] a = EpochOrder.permutation(1000, 42, 3);
    assertThat(EpochOrder.permutation(1000, 42, 3)).isEqualTo(a);
    assertThat(EpochOrder.permutation(1000, 42, 4)).isNotEqualTo(a);
    assertThat(EpochOrder.permutation(1000, 43, 3)).isNotEqualTo(a);
    long[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
  }

  @Test
  void cacheReusesTheDecodedDatasetForTheSameSpec() {
    try (DatasetCache cache = new DatasetCache(new DatasetLoader(dir), manager)) {
      TrainingData first = cache.get(spec("synthetic", null, null, 100, 20));
      assertThat(cache.get(spec("synthetic", 0.1, 0.0, 100, 20))).isSameAs(first);
      TrainingData other = cache.get(spec("synthetic", 0.2, null, 100, 20));
      assertThat(other).isNotSameAs(first);
      assertThat(first.manager().isOpen()).isFalse();
    }
  }
}
