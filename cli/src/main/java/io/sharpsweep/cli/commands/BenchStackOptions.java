package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.stack.LocalStack.StackOptions;
import io.sharpsweep.protocol.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The options of the benches that start the local stack ({@code bench-ingest}, {@code
 * bench-large-study}, {@code bench-scale}), as a picocli mixin, and what those benches do with them
 * alike: the results-store's database (PostgreSQL in a schema of the bench's own), the working
 * directory, the time limit and the choice between a table and one JSON object. A bench creates its
 * mixin with its defaults (picocli shows a field's initial value as its default).
 */
public class BenchStackOptions {
  @Option(
      names = "--db",
      description =
          "Database of the results-store: h2 (a fresh file) or postgresql (127.0.0.1:5432/test, the bench's own schema) (default: ${DEFAULT-VALUE}).")
  String db;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Logs, the broker's data, H2 and the bench's other files (default: .sharpsweep/${COMMAND-NAME} in the repository).")
  Path workDir;

  @Option(
      names = "--timeout",
      description =
          "Most seconds the bench waits for what it measures to be done: every report stored, a study finished (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  private final String bench;
  private final String schema;
  private final boolean cleanSchema;

  /**
   * @param bench the command's name, the default working directory's
   * @param db the default database, {@code h2} or {@code postgresql}
   * @param timeoutSeconds the default time limit
   * @param schema the PostgreSQL schema of the bench
   * @param cleanSchema whether the store empties that schema at start
   */
  public BenchStackOptions(
      String bench, String db, int timeoutSeconds, String schema, boolean cleanSchema) {
    this.bench = bench;
    this.db = db;
    this.timeoutSeconds = timeoutSeconds;
    this.schema = schema;
    this.cleanSchema = cleanSchema;
  }

  /** Refuses a database other than h2 and postgresql. */
  public void check() {
    if (!db.equals("h2") && !db.equals("postgresql")) {
      throw new UserException("--db must be h2 or postgresql, got '" + db + "'");
    }
  }

  public String db() {
    return db;
  }

  public boolean json() {
    return json;
  }

  public Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  /** Where the bench's progress goes: stderr when stdout carries the JSON. */
  public PrintStream log() {
    return json ? System.err : System.out;
  }

  /**
   * The working directory (absolute), created, with the parts of an earlier run named in {@code
   * fresh} (files or directories below it) deleted first.
   */
  public Path workDir(Path home, String... fresh) throws IOException {
    Path work =
        (workDir != null ? workDir : home.resolve(".sharpsweep").resolve(bench)).toAbsolutePath();
    for (String part : fresh) {
      deleteTree(work.resolve(part));
    }
    Files.createDirectories(work);
    return work;
  }

  /** The local stack's options: no trainer-workers, the chosen database in the bench's schema. */
  public StackOptions stackOptions(Path home, Path work) {
    return stackOptions(home, work, Map.of());
  }

  /** {@link #stackOptions(Path, Path)} with further configuration keys for the services. */
  public StackOptions stackOptions(Path home, Path work, Map<String, String> properties) {
    Map<String, String> extra = new HashMap<>(properties);
    if (db.equals("postgresql")) {
      extra.put(
          "sharpsweep.store.postgresql.url",
          "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema);
      extra.put("quarkus.flyway.\"postgresql\".schemas", schema);
      if (cleanSchema) {
        // every run starts from an empty schema, so that its figures are of its own run alone
        extra.put("quarkus.flyway.\"postgresql\".clean-at-start", "true");
        extra.put("quarkus.flyway.\"postgresql\".clean-disabled", "false");
      }
    }
    return new StackOptions(home, work, 0, 1, db, LocalStackOptions.DEFAULT_DATA, extra);
  }

  /** The result on stdout: one JSON object with {@code --json}, else the bench's table. */
  public <R> void print(R result, Consumer<PrintStream> table) {
    if (json) {
      System.out.println(Json.encodeToString(result));
    } else {
      table.accept(System.out);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
