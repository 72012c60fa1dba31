package io.sharpsweep.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX files MNIST and Fashion-MNIST ship in (big-endian header: magic {@code 0x0000
 * 08 dims}, one int32 per dimension, then unsigned bytes). Accepts the plain file and its {@code
 * .gz} (Debian ships the gzipped ones; gzip is recognised by name or content). Every failure is a
 * {@link DatasetException} naming the file and the rule it breaks.
 */
public final class IdxFile {
  /** Magic of an unsigned-byte IDX file with three dimensions (images). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic of an unsigned-byte IDX file with one dimension (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  /** Unsigned-byte images, row-major, {@code count × rows × cols}. */
  public record Images(Path file, int count, int rows, int cols, byte[] pixels) {}

  /** Unsigned-byte labels. */
  public record Labels(Path file, int count, byte[] labels) {}

  private IdxFile() {}

  /** The file {@code name} or {@code name.gz} in {@code dir}, whichever exists (plain first). */
  public static Path locate(Path dir, String name) {
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    if (!Files.isDirectory(dir)) {
      throw new DatasetException("dataset directory " + dir + " does not exist");
    }
    throw new DatasetException(
        "dataset file " + plain + " (or " + gz.getFileName() + ") does not exist");
  }

  /**
   * Reads an images file.
   *
   * @param limit read only the first {@code limit} images (0 or less: all)
   */
  public static Images readImages(Path file, int limit) {
    try (DataInputStream in = open(file)) {
      int magic = header(in, file, "magic number");
      if (magic != IMAGES_MAGIC) {
        throw new DatasetException(
            file
                + ": magic number is 0x"
                + Integer.toHexString(magic)
                + ", expected 0x"
                + Integer.toHexString(IMAGES_MAGIC)
                + " (IDX unsigned-byte images)");
      }
      int count = header(in, file, "image count");
      int rows = header(in, file, "row count");
      int cols = header(in, file, "column count");
      if (count <= 0 || rows <= 0 || cols <= 0 || (long) rows * cols > 1 << 20) {
        throw new DatasetException(
            file + ": implausible header " + count + " × " + rows + " × " + cols);
      }
      int n = limit > 0 ? Math.min(limit, count) : count;
      byte[] pixels = new byte[Math.multiplyExact(n, rows * cols)];
      readFully(in, pixels, file, "the pixels of " + n + " images of " + rows + "×" + cols);
      if (n == count) {
        expectEnd(in, file);
      }
      return new Images(file, n, rows, cols, pixels);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /** Reads a labels file; every label must be below {@code classes}. */
  public static Labels readLabels(Path file, int limit, int classes) {
    try (DataInputStream in = open(file)) {
      int magic = header(in, file, "magic number");
      if (magic != LABELS_MAGIC) {
        throw new DatasetException(
            file
                + ": magic number is 0x"
                + Integer.toHexString(magic)
                + ", expected 0x"
                + Integer.toHexString(LABELS_MAGIC)
                + " (IDX unsigned-byte labels)");
      }
      int count = header(in, file, "label count");
      if (count <= 0) {
        throw new DatasetException(file + ": label count is " + count);
      }
      int n = limit > 0 ? Math.min(limit, count) : count;
      byte[] labels = new byte[n];
      readFully(in, labels, file, n + " labels");
      if (n == count) {
        expectEnd(in, file);
      }
      for (int i = 0; i < n; i++) {
        int label = labels[i] & 0xff;
        if (label >= classes) {
          throw new DatasetException(
              file
                  + ": label "
                  + label
                  + " of example "
                  + i
                  + " is not below the class count "
                  + classes);
        }
      }
      return new Labels(file, n, labels);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    // Gzip by name or by its magic bytes (1f 8b), so a renamed or decompressed file reads either
    // way.
    raw.mark(2);
    boolean gzipMagic = raw.read() == 0x1f && raw.read() == 0x8b;
    raw.reset();
    if (gzipMagic || file.getFileName().toString().endsWith(".gz")) {
      raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    }
    return new DataInputStream(raw);
  }

  private static int header(DataInputStream in, Path file, String what) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw new DatasetException(file + ": truncated header (no " + what + ")");
    }
  }

  private static void readFully(DataInputStream in, byte[] into, Path file, String what)
      throws IOException {
    try {
      in.readFully(into);
    } catch (EOFException e) {
      throw new DatasetException(
          file + ": truncated, the header announces " + what + " but the file ends early");
    }
  }

  private static void expectEnd(InputStream in, Path file) throws IOException {
    if (in.read() != -1) {
      throw new DatasetException(
          file + ": has bytes after the last example (header count too small or file corrupt)");
    }
  }
}
