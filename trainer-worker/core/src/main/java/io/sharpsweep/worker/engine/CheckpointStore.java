package io.sharpsweep.worker.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.sharpsweep.protocol.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Checkpoints on a file system every worker can read: {@code <root>/<studyId>/<trialId>/epoch-<e>/}
 * holding {@code params.ndlist} (every block parameter, running statistics included, by name),
 * {@code optimizer.ndlist} (the base optimizer's buffers), {@code rule.ndlist} (the step rule's
 * tensors, e.g. LookSAM's stored direction; absent when it has none) and {@code state.json} ({@link
 * CheckpointState}). A checkpoint is written into a temporary directory and renamed into place, so
 * a reader sees all of it or nothing.
 */
public final class CheckpointStore {
  static final String PARAMS = "params.ndlist";
  static final String OPTIMIZER = "optimizer.ndlist";
  static final String RULE = "rule.ndlist";
  static final String STATE = "state.json";

  private final Path root;

  public CheckpointStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path directory(String studyId, String trialId, int epoch) {
    return root.resolve(segment(studyId)).resolve(segment(trialId)).resolve("epoch-" + epoch);
  }

  /**
   * The checkpoint's {@code file:} URI, without a trailing slash whether or not the directory
   * exists yet.
   */
  public URI uri(String studyId, String trialId, int epoch) {
    String uri = directory(studyId, trialId, epoch).toUri().toString();
    return URI.create(uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri);
  }

  /** A checkpoint's directory from its {@code file:} URI. */
  public static Path directoryOf(String checkpointUri) {
    URI uri;
    try {
      uri = URI.create(checkpointUri);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(
          "checkpointUri '" + checkpointUri + "' is not a URI: " + e.getMessage());
    }
    if (!"file".equals(uri.getScheme())) {
      throw new CheckpointException(
          "checkpointUri '"
              + checkpointUri
              + "' is not a file: URI (the only scheme this worker reads)");
    }
    return Path.of(uri);
  }

  /** Writes a checkpoint atomically; replaces one of the same epoch (a retry of the same trial). */
  public void write(
      CheckpointState state, NDList params, NDList optimizerState, NDList ruleTensors) {
    Path target = directory(state.studyId(), state.trialId(), state.epoch());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      writeList(tmp.resolve(PARAMS), params);
      writeList(tmp.resolve(OPTIMIZER), optimizerState);
      if (ruleTensors != null && !ruleTensors.isEmpty()) {
        writeList(tmp.resolve(RULE), ruleTensors);
      }
      Files.write(tmp.resolve(STATE), Json.encode(state));
      if (Files.exists(target)) {
        // A directory cannot be renamed over a non-empty one: move the old checkpoint aside first.
        Path old = target.resolveSibling(target.getFileName() + ".old-" + UUID.randomUUID());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
      } else {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new CheckpointException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
  }

  /** The state of a stored checkpoint, if there is one. */
  public Optional<CheckpointState> readState(String studyId, String trialId, int epoch) {
    Path dir = directory(studyId, trialId, epoch);
    if (!Files.isRegularFile(dir.resolve(STATE))) {
      return Optional.empty();
    }
    return Optional.of(readState(dir));
  }

  public static CheckpointState readState(Path dir) {
    Path file = dir.resolve(STATE);
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException("checkpoint " + dir + " has no " + STATE);
    }
    try {
      return Json.decode(Files.readAllBytes(file), CheckpointState.class);
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CheckpointException(file + " is corrupt: " + e.getMessage(), e);
    }
  }

  /** Whether the checkpoint still has its tensors (intermediate ones may have been pruned). */
  public static boolean hasTensors(Path dir) {
    return Files.isRegularFile(dir.resolve(PARAMS)) && Files.isRegularFile(dir.resolve(OPTIMIZER));
  }

  public static NDList readParams(Path dir, NDManager manager) {
    return readList(dir.resolve(PARAMS), manager);
  }

  public static NDList readOptimizerState(Path dir, NDManager manager) {
    return readList(dir.resolve(OPTIMIZER), manager);
  }

  /** The step rule's tensors, or an empty list if it stored none. */
  public static NDList readRuleTensors(Path dir, NDManager manager) {
    return Files.isRegularFile(dir.resolve(RULE))
        ? readList(dir.resolve(RULE), manager)
        : new NDList();
  }

  /** Deletes the tensors of a checkpoint and keeps its state (and so its report). */
  public void pruneTensors(String studyId, String trialId, int epoch) {
    Path dir = directory(studyId, trialId, epoch);
    try {
      Files.deleteIfExists(dir.resolve(PARAMS));
      Files.deleteIfExists(dir.resolve(OPTIMIZER));
      Files.deleteIfExists(dir.resolve(RULE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prune checkpoint " + dir, e);
    }
  }

  private static void writeList(Path file, NDList list) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      list.encode(out);
    }
  }

  private static NDList readList(Path file, NDManager manager) {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException("checkpoint file " + file + " does not exist");
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return NDList.decode(manager, in);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException(
          "checkpoint file " + file + " cannot be decoded: " + e.getMessage(), e);
    }
  }

  /**
   * Ids become one path segment: anything but letters, digits, '-', '_' and inner '.' is
   * percent-encoded.
   */
  static String segment(String id) {
    String s =
        URLEncoder.encode(id, StandardCharsets.UTF_8).replace("*", "%2A").replace("+", "%20");
    return s.startsWith(".") ? "%2E" + s.substring(1) : s;
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException ignored) {
      // Best effort: a leftover .tmp directory is never read.
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
