package io.sharpsweep.worker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sharpsweep.protocol.study.DatasetSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Turns a {@link DatasetSpec} into {@link TrainingData}: reads (or generates) the examples, takes
 * the first {@code trainLimit}/{@code testLimit}, holds out a seeded validation split, flips a
 * seeded share of the remaining training labels ({@code labelNoise}), and decodes each split once
 * into native tensors.
 *
 * <p>The split and the label noise use fixed seeds ({@link #SPLIT_SEED}, {@link #NOISE_SEED}), not
 * the trial's: every trial of a study is scored on the same validation examples.
 */
public final class DatasetLoader {
  public static final long SPLIT_SEED = 0x5EED_0001L;
  public static final long NOISE_SEED = 0x5EED_0002L;

  /** Sizes of the synthetic dataset when the spec gives no limits. */
  public static final int SYNTHETIC_TRAIN = 1000;

  public static final int SYNTHETIC_TEST = 200;

  /** Where CIFAR-10 is looked for when a spec gives no {@code path}. */
  public static final Path DEFAULT_CIFAR10_DIR = Path.of("/usr/share/datasets/cifar10");

  /** Where CIFAR-100 is looked for when a spec gives no {@code path}. */
  public static final Path DEFAULT_CIFAR100_DIR = Path.of("/usr/share/datasets/cifar100");

  private final Path fashionMnistDir;
  private final Path cifar10Dir;
  private final Path cifar100Dir;

  /**
   * @param fashionMnistDir directory used when a Fashion-MNIST spec gives no {@code path}
   */
  public DatasetLoader(Path fashionMnistDir) {
    this(fashionMnistDir, DEFAULT_CIFAR10_DIR, DEFAULT_CIFAR100_DIR);
  }

  /** With the directories used when a spec gives no {@code path}, per dataset. */
  public DatasetLoader(Path fashionMnistDir, Path cifar10Dir, Path cifar100Dir) {
    this.fashionMnistDir = fashionMnistDir;
    this.cifar10Dir = cifar10Dir;
    this.cifar100Dir = cifar100Dir;
  }

  public TrainingData load(DatasetSpec spec, NDManager parent) {
    if (spec == null || spec.name() == null) {
      throw new DatasetException("dataset.name is missing");
    }
    double validationFraction = spec.validationFractionOrDefault();
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new DatasetException(
          "dataset.validationFraction must be in (0, 1), got " + validationFraction);
    }
    double labelNoise = spec.labelNoiseOrDefault();
    if (!(labelNoise >= 0 && labelNoise < 1)) {
      throw new DatasetException("dataset.labelNoise must be in [0, 1), got " + labelNoise);
    }
    int trainLimit = limit(spec.trainLimit(), "trainLimit");
    int testLimit = limit(spec.testLimit(), "testLimit");
    HostExamples[] trainTest;
    int classes;
    switch (spec.name()) {
      case "fashion-mnist" -> {
        Path dir =
            spec.path() == null || spec.path().isBlank() ? fashionMnistDir : Path.of(spec.path());
        trainTest = FashionMnist.read(dir, trainLimit, testLimit);
        classes = FashionMnist.CLASSES;
      }
      case "synthetic" -> {
        trainTest =
            SyntheticBlobs.generate(
                trainLimit > 0 ? trainLimit : SYNTHETIC_TRAIN,
                testLimit > 0 ? testLimit : SYNTHETIC_TEST);
        classes = SyntheticBlobs.CLASSES;
      }
      case "cifar10", "cifar100" -> {
        Cifar.Variant v =
            spec.name().equals("cifar10") ? Cifar.Variant.CIFAR10 : Cifar.Variant.CIFAR100;
        Path fallback = v == Cifar.Variant.CIFAR10 ? cifar10Dir : cifar100Dir;
        Path dir = spec.path() == null || spec.path().isBlank() ? fallback : Path.of(spec.path());
        trainTest = Cifar.read(dir, v, trainLimit, testLimit);
        classes = v.classes();
      }
      default ->
          throw new DatasetException(
              "dataset.name '"
                  + spec.name()
                  + "' is unknown (available: fashion-mnist, cifar10, cifar100, synthetic)");
    }
    return split(
        spec.name(), trainTest[0], trainTest[1], classes, validationFraction, labelNoise, parent);
  }

  private static int limit(Integer value, String field) {
    if (value == null) {
      return 0;
    }
    if (value <= 0) {
      throw new DatasetException("dataset." + field + " must be > 0 when given, got " + value);
    }
    return value;
  }

  static TrainingData split(
      String name,
      HostExamples train,
      HostExamples test,
      int classes,
      double validationFraction,
      double labelNoise,
      NDManager parent) {
    int n = train.size();
    int validationSize = validationSize(name, n, validationFraction);
    int[] order = identity(n);
    shuffle(order, new Random(SPLIT_SEED));
    int[] validationRows = Arrays.copyOfRange(order, 0, validationSize);
    int[] trainRows = Arrays.copyOfRange(order, validationSize, n);
    Arrays.sort(validationRows);
    Arrays.sort(trainRows);

    int[] trainLabels = labels(train, trainRows);
    if (labelNoise > 0) {
      flipLabels(trainLabels, labelNoise, classes);
    }
    NDManager manager = parent.newSubManager();
    try {
      Split trainSplit = tensors(manager, train, trainRows, trainLabels);
      Split validationSplit =
          tensors(manager, train, validationRows, labels(train, validationRows));
      int[] testRows = identity(test.size());
      Split testSplit = tensors(manager, test, testRows, labels(test, testRows));
      Shape sampleShape = train.sampleShape();
      return new TrainingData(
          name, sampleShape, classes, trainSplit, validationSplit, testSplit, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** {@code round(n · validationFraction)}, which must leave both splits non-empty. */
  private static int validationSize(String name, int n, double validationFraction) {
    int validationSize = (int) Math.round(n * validationFraction);
    if (validationSize < 1 || validationSize >= n) {
      throw new DatasetException(
          "dataset '"
              + name
              + "': a validation fraction of "
              + validationFraction
              + " of "
              + n
              + " training examples leaves "
              + validationSize
              + " for validation and "
              + (n - validationSize)
              + " for training; both need at least one");
    }
    return validationSize;
  }

  /**
   * In place: exactly {@code round(labelNoise · n)} labels, chosen by a seeded shuffle (not a coin
   * per label, whose share varies with n), each moved to another class uniformly: never to the true
   * one.
   */
  private static void flipLabels(int[] trainLabels, double labelNoise, int classes) {
    Random noise = new Random(NOISE_SEED);
    int[] rows = identity(trainLabels.length);
    shuffle(rows, noise);
    int flips = (int) Math.round(labelNoise * trainLabels.length);
    for (int k = 0; k < flips; k++) {
      int i = rows[k];
      trainLabels[i] = (trainLabels[i] + 1 + noise.nextInt(classes - 1)) % classes;
    }
  }

  /** The features of {@code rows} of {@code examples} and {@code labels} as tensors. */
  private static Split tensors(NDManager manager, HostExamples examples, int[] rows, int[] labels) {
    return new Split(examples.features(manager, rows), labelTensor(manager, labels), rows.length);
  }

  private static int[] labels(HostExamples examples, int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = examples.label(rows[i]);
    }
    return out;
  }

  private static NDArray labelTensor(NDManager manager, int[] labels) {
    long[] asLong = new long[labels.length];
    for (int i = 0; i < labels.length; i++) {
      asLong[i] = labels[i];
    }
    NDArray y = manager.create(asLong);
    assert y.getDataType() == DataType.INT64;
    return y;
  }

  private static int[] identity(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  /** Fisher–Yates with {@link Random}: the same permutation on every JVM for the same seed. */
  static void shuffle(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
