package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.client.ServiceClient;
import io.sharpsweep.cli.stack.StackState;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the services are: {@code --scheduler-url}/{@code --store-url} (or SHARPSWEEP_SCHEDULER_URL
 * / SHARPSWEEP_STORE_URL), else the stack that {@code sharpsweep up} started.
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
      names = "--token",
      paramLabel = "TOKEN",
      description = "Bearer token for mutating calls (default: $SHARPSWEEP_API_TOKEN).")
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

  ServiceClient client() {
    return new ServiceClient(token != null ? token : System.getenv("SHARPSWEEP_API_TOKEN"));
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
