package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.stack.LocalStack.StackOptions;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of the commands that start the local stack with trainer-workers ({@code up}, {@code
 * demo}), as a picocli mixin: how many workers and threads, the dataset and the results-store's
 * database.
 */
public class LocalStackOptions {
  static final Path DEFAULT_DATA = Path.of("/usr/share/datasets/fashion-mnist");

  @Option(
      names = "--workers",
      defaultValue = "2",
      description = "Local trainer-workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--worker-threads",
      defaultValue = "1",
      description = "Intra-op threads per worker (default: ${DEFAULT-VALUE}).")
  int workerThreads;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Directory with the Fashion-MNIST IDX files (default: /usr/share/datasets/fashion-mnist).")
  Path dataDir;

  @Option(
      names = "--db",
      defaultValue = "h2",
      description =
          "Database of the results-store: h2 (a file under the stack's directory) or postgresql"
              + " (sharpsweep.store.* keys) (default: ${DEFAULT-VALUE}).")
  String db;

  /** Refuses a worker count outside [1, 64] and a database other than h2 and postgresql. */
  void check() {
    if (workers < 1 || workers > 64) {
      throw new UserException("--workers must be in [1, 64], got " + workers);
    }
    if (!db.equals("h2") && !db.equals("postgresql")) {
      throw new UserException("--db must be h2 or postgresql, got '" + db + "'");
    }
  }

  /** The Fashion-MNIST directory: {@code --data}, else {@link #DEFAULT_DATA}. */
  Path data() {
    return dataDir != null ? dataDir : DEFAULT_DATA;
  }

  /**
   * The stack's options with these workers, dataset and database.
   *
   * @param properties further configuration keys for the services
   */
  StackOptions stackOptions(Path home, Path dir, Map<String, String> properties) {
    return new StackOptions(home, dir, workers, workerThreads, db, data(), properties);
  }
}
