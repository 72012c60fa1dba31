package io.sharpsweep.worker.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files (the Fashion-MNIST format) for tests. */
final class IdxFixtures {
  private IdxFixtures() {}

  /**
   * {@code n} 28×28 images whose pixel j of image i is {@code (i + j) % 256}, labels {@code i %
   * 10}.
   */
  static void writeFashionMnist(Path dir, int nTrain, int nTest, boolean gzip) throws IOException {
    write(
        dir.resolve(FashionMnist.TRAIN_IMAGES + (gzip ? ".gz" : "")), images(nTrain, 28, 28), gzip);
    write(dir.resolve(FashionMnist.TRAIN_LABELS + (gzip ? ".gz" : "")), labels(nTrain), gzip);
    write(dir.resolve(FashionMnist.TEST_IMAGES + (gzip ? ".gz" : "")), images(nTest, 28, 28), gzip);
    write(dir.resolve(FashionMnist.TEST_LABELS + (gzip ? ".gz" : "")), labels(nTest), gzip);
  }

  static byte[] images(int n, int rows, int cols) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(IdxFile.IMAGES_MAGIC);
    out.writeInt(n);
    out.writeInt(rows);
    out.writeInt(cols);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < rows * cols; j++) {
        out.writeByte((i + j) % 256);
      }
    }
    return bytes.toByteArray();
  }

  static byte[] labels(int n) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(IdxFile.LABELS_MAGIC);
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeByte(i % 10);
    }
    return bytes.toByteArray();
  }

  static void write(Path file, byte[] content, boolean gzip) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out =
        gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(content);
    }
  }
}
