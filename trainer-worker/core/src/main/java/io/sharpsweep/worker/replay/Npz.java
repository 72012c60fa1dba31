package io.sharpsweep.worker.replay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} archives (a zip of {@code .npy} files, as {@code numpy.savez} and {@code
 * savez_compressed} write them) for the replay mode: C-order arrays of {@code float32}, {@code
 * float64}, {@code int64} and {@code int32}, little- or big-endian on reading, little-endian on
 * writing (npy format 1.0, readable by {@code numpy.load}).
 */
public final class Npz {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** One array: its name in the archive (without {@code .npy}), type, shape and values. */
  public record Entry(String name, DataType dataType, Shape shape, ByteBuffer data) {
    /** The values in native byte order, as DJL creates arrays from them. */
    public NDArray toNDArray(NDManager manager) {
      return manager.create(data.duplicate().order(ByteOrder.nativeOrder()), shape, dataType);
    }

    public static Entry of(String name, NDArray array) {
      ByteBuffer bytes = array.toByteBuffer().order(ByteOrder.nativeOrder());
      ByteBuffer copy = ByteBuffer.allocateDirect(bytes.remaining()).order(ByteOrder.nativeOrder());
      copy.put(bytes).flip();
      return new Entry(name, array.getDataType(), array.getShape(), copy);
    }
  }

  private Npz() {}

  /** Every array of the archive by name, in archive order. */
  public static Map<String, Entry> read(Path file) {
    Map<String, Entry> out = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        if (e.isDirectory()) {
          continue;
        }
        String name =
            e.getName().endsWith(".npy")
                ? e.getName().substring(0, e.getName().length() - 4)
                : e.getName();
        out.put(name, readNpy(zip, file, name));
      }
    } catch (NoSuchFileException e) {
      throw new NpzException("file " + file + " does not exist");
    } catch (ZipException e) {
      throw new NpzException(file + " is not an .npz archive (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new NpzException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
    if (out.isEmpty()) {
      throw new NpzException(file + " is not an .npz archive (no arrays in it)");
    }
    return out;
  }

  private static Entry readNpy(InputStream in, Path file, String name) throws IOException {
    String where = file + " entry '" + name + "'";
    byte[] magic = in.readNBytes(8);
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic.length < 8 || magic[i] != MAGIC[i]) {
        throw new NpzException(where + " is not a .npy array (bad magic)");
      }
    }
    int major = magic[6];
    byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
    ByteBuffer lb = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = major == 1 ? Short.toUnsignedInt(lb.getShort()) : lb.getInt();
    String header = new String(in.readNBytes(headerLength), StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new NpzException(where + " has an unreadable header: " + header.trim());
    }
    if (f.group(1).equals("True")) {
      throw new NpzException(where + " is in Fortran order; write it C-ordered");
    }
    DataType type = dataType(d.group(2) + d.group(3), where);
    ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String dims = s.group(1).trim();
    long[] shape =
        dims.isEmpty()
            ? new long[0]
            : java.util.Arrays.stream(dims.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong)
                .toArray();
    Shape sh = new Shape(shape);
    long bytes = sh.size() * type.getNumOfBytes();
    byte[] raw = in.readNBytes(Math.toIntExact(bytes));
    if (raw.length != bytes) {
      throw new NpzException(
          where + " is truncated: " + raw.length + " of " + bytes + " data bytes for shape " + sh);
    }
    ByteBuffer src = ByteBuffer.wrap(raw).order(order);
    ByteBuffer dst = ByteBuffer.allocateDirect(raw.length).order(ByteOrder.nativeOrder());
    int width = type.getNumOfBytes();
    if (order == ByteOrder.nativeOrder()) {
      dst.put(src);
    } else if (width == 8) {
      while (src.hasRemaining()) {
        dst.putLong(src.getLong());
      }
    } else {
      while (src.hasRemaining()) {
        dst.putInt(src.getInt());
      }
    }
    dst.flip();
    return new Entry(name, type, sh, dst);
  }

  private static DataType dataType(String code, String where) {
    return switch (code) {
      case "f4" -> DataType.FLOAT32;
      case "f8" -> DataType.FLOAT64;
      case "i8" -> DataType.INT64;
      case "i4" -> DataType.INT32;
      default ->
          throw new NpzException(
              where + " has dtype '" + code + "'; supported: float32, float64, int64, int32");
    };
  }

  private static String code(DataType type) {
    return switch (type) {
      case FLOAT32 -> "<f4";
      case FLOAT64 -> "<f8";
      case INT64 -> "<i8";
      case INT32 -> "<i4";
      default -> throw new IllegalArgumentException("cannot write " + type + " to .npy");
    };
  }

  /**
   * Writes the arrays as {@code <name>.npy} entries of a deflated zip (like {@code
   * savez_compressed}).
   */
  public static void write(Path file, List<Entry> entries) {
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        ZipOutputStream zip = new ZipOutputStream(raw)) {
      for (Entry e : entries) {
        zip.putNextEntry(new ZipEntry(e.name() + ".npy"));
        writeNpy(zip, e);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new NpzException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeNpy(OutputStream out, Entry e) throws IOException {
    StringBuilder shape = new StringBuilder("(");
    long[] dims = e.shape().getShape();
    for (int i = 0; i < dims.length; i++) {
      shape.append(dims[i]).append(dims.length == 1 ? "," : i < dims.length - 1 ? ", " : "");
    }
    shape.append(")");
    String dict =
        "{'descr': '" + code(e.dataType()) + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write(MAGIC);
    head.write(1);
    head.write(0);
    head.write(header.length() & 0xff);
    head.write((header.length() >>> 8) & 0xff);
    head.write(header.getBytes(StandardCharsets.ISO_8859_1));
    out.write(head.toByteArray());
    ByteBuffer src = e.data().duplicate().order(ByteOrder.nativeOrder());
    src.rewind();
    ByteBuffer le = ByteBuffer.allocate(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      le.put(src);
    } else if (e.dataType().getNumOfBytes() == 8) {
      while (src.hasRemaining()) {
        le.putLong(src.getLong());
      }
    } else {
      while (src.hasRemaining()) {
        le.putInt(src.getInt());
      }
    }
    out.write(le.array());
  }
}
