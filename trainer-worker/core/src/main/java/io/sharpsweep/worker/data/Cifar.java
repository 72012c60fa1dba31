package io.sharpsweep.worker.data;

import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-10 and CIFAR-100 (Krizhevsky 2009) from the binary distributions, in a directory or its
 * standard sub-directory ({@code cifar-10-batches-bin}, {@code cifar-100-binary}).
 *
 * <ul>
 *   <li>CIFAR-10: {@code data_batch_1.bin} … {@code data_batch_5.bin} and {@code test_batch.bin};
 *       each record is 1 label byte + 3072 pixel bytes.
 *   <li>CIFAR-100: {@code train.bin} and {@code test.bin}; each record is 1 coarse-label byte, 1
 *       fine-label byte (used: 100 classes) + 3072 pixel bytes.
 * </ul>
 *
 * Pixels are stored channel-planar (1024 red, 1024 green, 1024 blue, rows of 32), which is the
 * {@code (3, 32, 32)} layout the models take. Each channel is normalised with the dataset's usual
 * training-set mean and standard deviation. A missing file, a length that is not a whole number of
 * records, or a label out of range is a {@link DatasetException} naming the file.
 */
public final class Cifar {
  public static final int PIXELS = 3 * 32 * 32;
  public static final Shape SAMPLE_SHAPE = new Shape(3, 32, 32);

  /** The two datasets: files, record layout, classes and channel statistics. */
  public enum Variant {
    CIFAR10(
        "cifar10",
        "cifar-10-batches-bin",
        List.of(
            "data_batch_1.bin",
            "data_batch_2.bin",
            "data_batch_3.bin",
            "data_batch_4.bin",
            "data_batch_5.bin"),
        List.of("test_batch.bin"),
        1,
        10,
        new float[] {0.4914f, 0.4822f, 0.4465f},
        new float[] {0.2470f, 0.2435f, 0.2616f}),
    CIFAR100(
        "cifar100",
        "cifar-100-binary",
        List.of("train.bin"),
        List.of("test.bin"),
        2,
        100,
        new float[] {0.5071f, 0.4865f, 0.4409f},
        new float[] {0.2673f, 0.2564f, 0.2762f});

    final String datasetName;
    final String subdirectory;
    final List<String> trainFiles;
    final List<String> testFiles;
    final int labelBytes;
    final int classes;
    final float[] mean;
    final float[] std;

    Variant(
        String datasetName,
        String subdirectory,
        List<String> trainFiles,
        List<String> testFiles,
        int labelBytes,
        int classes,
        float[] mean,
        float[] std) {
      this.datasetName = datasetName;
      this.subdirectory = subdirectory;
      this.trainFiles = trainFiles;
      this.testFiles = testFiles;
      this.labelBytes = labelBytes;
      this.classes = classes;
      this.mean = mean;
      this.std = std;
    }

    public int classes() {
      return classes;
    }

    public int recordSize() {
      return labelBytes + PIXELS;
    }

    public List<String> trainFiles() {
      return trainFiles;
    }

    public List<String> testFiles() {
      return testFiles;
    }
  }

  private Cifar() {}

  /** {train, test}, each limited to its first {@code limit} examples when the limit is > 0. */
  static HostExamples[] read(Path dir, Variant v, int trainLimit, int testLimit) {
    Path base = resolve(dir, v);
    return new HostExamples[] {
      read(base, v, v.trainFiles, trainLimit), read(base, v, v.testFiles, testLimit)
    };
  }

  /** {@code dir}, or its standard sub-directory when the files are there. */
  static Path resolve(Path dir, Variant v) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException("dataset directory " + dir + " does not exist");
    }
    Path sub = dir.resolve(v.subdirectory);
    if (!Files.isRegularFile(dir.resolve(v.testFiles.get(0)))
        && Files.isRegularFile(sub.resolve(v.testFiles.get(0)))) {
      return sub;
    }
    return dir;
  }

  private static HostExamples read(Path dir, Variant v, List<String> files, int limit) {
    int record = v.recordSize();
    long total = 0;
    for (String name : files) {
      Path file = dir.resolve(name);
      if (!Files.isRegularFile(file)) {
        throw new DatasetException(
            "dataset file " + file + " does not exist (" + v.datasetName + " binary version)");
      }
      long size;
      try {
        size = Files.size(file);
      } catch (IOException e) {
        throw new DatasetException(file + ": cannot be read (" + e.getMessage() + ")", e);
      }
      if (size == 0 || size % record != 0) {
        throw new DatasetException(
            file
                + ": "
                + size
                + " bytes is not a whole number of "
                + record
                + "-byte "
                + v.datasetName
                + " records (file truncated or not a "
                + v.datasetName
                + " binary batch)");
      }
      total += size / record;
    }
    int n = (int) (limit > 0 ? Math.min(limit, total) : total);
    byte[] pixels = new byte[Math.multiplyExact(n, PIXELS)];
    byte[] labels = new byte[n];
    int done = 0;
    byte[] buf = new byte[record];
    for (String name : files) {
      if (done == n) {
        break;
      }
      Path file = dir.resolve(name);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        while (done < n && in.readNBytes(buf, 0, record) == record) {
          int label = buf[v.labelBytes - 1] & 0xff;
          if (label >= v.classes) {
            throw new DatasetException(
                file
                    + ": label "
                    + label
                    + " of record "
                    + done
                    + " is not below the class count "
                    + v.classes);
          }
          labels[done] = (byte) label;
          System.arraycopy(buf, v.labelBytes, pixels, done * PIXELS, PIXELS);
          done++;
        }
      } catch (IOException e) {
        throw new DatasetException(file + ": cannot be read (" + e.getMessage() + ")", e);
      }
    }
    return new ByteImages(pixels, labels, SAMPLE_SHAPE, v.mean, v.std);
  }
}
