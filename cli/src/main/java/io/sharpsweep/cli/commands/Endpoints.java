package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.stack.StackState;
import io.sharpsweep.protocol.api.SchedulerClient;
import io.sharpsweep.protocol.api.StoreClient;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the services are: {@code --scheduler-url}/{@code --store-url} (or SHARPSWEEP_SCHEDULER_URL
 * / SHARPSWEEP_STORE_URL), else the stack that {@code sharpsweep up} started; the bearer token from
 * {@code --token-file} (or SHARPSWEEP_TOKEN_FILE).
 */
public class Endpoints {
  @Option(
      names = "--scheduler-url",
      paramLabel = "URL",
      description =
          "Scheduler base URL (default: $SHARPSWEEP_SCHEDULER_URL, else the local stack).")
  String schedulerUrl;

  @Option(
      names = "--store-url",
      paramLabel = "URL",
      description =
          "Results-store base URL (default: $SHARPSWEEP_STORE_URL, else the local stack).")
  String storeUrl;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding the bearer token the services require (default: $SHARPSWEEP_TOKEN_FILE).")
  Path tokenFile;

  /** Deprecated: a token on the command line is visible to every user of the machine. */
  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      hidden = true,
      description = "Deprecated: use --token-file (default: $SHARPSWEEP_API_TOKEN).")
  String token;

  static Path home() {
    return Path.of(System.getProperty("sharpsweep.home", ".")).toAbsolutePath().normalize();
  }

  static Path defaultStackDir() {
    return home().resolve(".sharpsweep").resolve("stack");
  }

  String scheduler() {
    return resolve(schedulerUrl, "SHARPSWEEP_SCHEDULER_URL", "scheduler");
  }

  String store() {
    return resolve(storeUrl, "SHARPSWEEP_STORE_URL", "results-store");
  }

  /** The results-store's query API. */
  StoreClient storeApi() {
    return StoreClient.of(store(), token());
  }

  /** The scheduler's study API. */
  SchedulerClient schedulerApi() {
    return SchedulerClient.of(scheduler(), token());
  }

  /**
   * The bearer token: {@code --token-file}, else {@code $SHARPSWEEP_TOKEN_FILE}, else the
   * deprecated {@code --token} or {@code $SHARPSWEEP_API_TOKEN}; null when none is given.
   */
  String token() {
    Path file = tokenFile;
    if (file == null) {
      String env = System.getenv("SHARPSWEEP_TOKEN_FILE");
      file = env == null || env.isBlank() ? null : Path.of(env);
    }
    if (file != null) {
      return readTokenFile(file);
    }
    return token != null ? token : System.getenv("SHARPSWEEP_API_TOKEN");
  }

  /** The token in {@code file} without surrounding white space; a one-line error otherwise. */
  static String readTokenFile(Path file) {
    try {
      String t = java.nio.file.Files.readString(file).strip();
      if (t.isEmpty()) {
        throw new UserException("the token file " + file + " is empty");
      }
      return t;
    } catch (java.io.IOException e) {
      throw new UserException(
          "cannot read the token file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The token file for the local stack's services: {@code option}, else $SHARPSWEEP_TOKEN_FILE. */
  static Optional<Path> stackTokenFile(Path option) {
    if (option != null) {
      return Optional.of(option.toAbsolutePath().normalize());
    }
    String env = System.getenv("SHARPSWEEP_TOKEN_FILE");
    return env == null || env.isBlank()
        ? Optional.empty()
        : Optional.of(Path.of(env).toAbsolutePath().normalize());
  }

  private static String resolve(String option, String env, String service) {
    if (option != null && !option.isBlank()) {
      return trim(option);
    }
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return trim(fromEnv);
    }
    Optional<StackState> state = StackState.read(defaultStackDir());
    return state
        .flatMap(s -> s.url(service))
        .orElseThrow(
            () ->
                new UserException(
                    "no local stack is running (start one with ./sharpsweep up) and no --"
                        + (service.equals("scheduler") ? "scheduler" : "store")
                        + "-url or $"
                        + env
                        + " is set"));
  }

  private static String trim(String url) {
    return url.replaceAll("/+$", "");
  }
}
