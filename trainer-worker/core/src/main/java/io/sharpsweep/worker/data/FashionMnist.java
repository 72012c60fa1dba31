package io.sharpsweep.worker.data;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017) from its four IDX files in a directory, plain or
 * gzipped (Debian's {@code dataset-fashion-mnist} installs the {@code .gz} ones in {@code
 * /usr/share/datasets/fashion-mnist}). Pixels become floats in [0, 1] (pixel / 255), no
 * standardisation.
 */
public final class FashionMnist {
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
  public static final int CLASSES = 10;
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnist() {}

  /**
   * {train, test} host examples, each limited to its first {@code limit} examples when the limit is
   * > 0.
   */
  static HostExamples[] read(Path dir, int trainLimit, int testLimit) {
    return new HostExamples[] {
      read(dir, TRAIN_IMAGES, TRAIN_LABELS, trainLimit),
      read(dir, TEST_IMAGES, TEST_LABELS, testLimit)
    };
  }

  private static HostExamples read(Path dir, String imagesName, String labelsName, int limit) {
    IdxFile.Images images = IdxFile.readImages(IdxFile.locate(dir, imagesName), limit);
    IdxFile.Labels labels = IdxFile.readLabels(IdxFile.locate(dir, labelsName), limit, CLASSES);
    if (images.rows() != 28 || images.cols() != 28) {
      throw new DatasetException(
          images.file()
              + ": images are "
              + images.rows()
              + "×"
              + images.cols()
              + ", Fashion-MNIST's are 28×28");
    }
    if (images.count() != labels.count()) {
      throw new DatasetException(
          images.file()
              + " holds "
              + images.count()
              + " images but "
              + labels.file()
              + " holds "
              + labels.count()
              + " labels");
    }
    return new ByteImages(
        images.pixels(), labels.labels(), new Shape(1, images.rows(), images.cols()));
  }
}
