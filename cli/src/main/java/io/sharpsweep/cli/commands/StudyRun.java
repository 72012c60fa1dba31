package io.sharpsweep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.client.ServiceClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Creates a study on the scheduler and follows it to its end, reading results from the
 * results-store.
 */
final class StudyRun {
  private final ServiceClient client;
  private final String schedulerUrl;
  private final String storeUrl;

  StudyRun(ServiceClient client, String schedulerUrl, String storeUrl) {
    this.client = client;
    this.schedulerUrl = schedulerUrl;
    this.storeUrl = storeUrl;
  }

  String create(String specYamlOrJson) {
    JsonNode created =
        client.post(schedulerUrl + "/v1/studies", "application/yaml", specYamlOrJson);
    return created.path("id").asText();
  }

  /**
   * Cancels the studies that an earlier, interrupted run left running in the same work directory:
   * the store keeps them, so its workers would otherwise share their time with the new study. Best
   * effort: a study that cannot be cancelled is named and left alone.
   */
  void cancelLeftovers(java.util.function.Consumer<String> say) {
    JsonNode studies;
    try {
      studies = client.get(storeUrl + "/v1/studies");
    } catch (ServiceClient.ServiceException e) {
      return;
    }
    if (studies == null) {
      return;
    }
    for (JsonNode s : studies) {
      if (!live(s.path("state").asText())) {
        continue;
      }
      String id = s.path("id").asText();
      try {
        client.post(schedulerUrl + "/v1/studies/" + id + "/cancel", "application/json", "");
        say.accept("cancelled study " + id + ", left running by an earlier run");
      } catch (ServiceClient.ServiceException e) {
        say.accept(
            "could not cancel study " + id + " left running by an earlier run: " + e.getMessage());
      }
    }
  }

  /**
   * Polls until the scheduler has ended the study and the results-store has stored its end; returns
   * the best trial (or null when none completed).
   */
  JsonNode follow(String id, ProgressView view, Duration timeout) throws InterruptedException {
    Instant start = Instant.now();
    Instant deadline = start.plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      JsonNode s = client.get(schedulerUrl + "/v1/studies/" + id);
      int total = s.path("budget").path("trials").asInt();
      int completed = s.path("completed").asInt();
      int failed = s.path("failed").asInt();
      JsonNode best = best(id);
      view.update(
          completed + failed,
          total,
          s.path("running").asInt(),
          failed,
          describe(best),
          rungs(id),
          Duration.between(start, Instant.now()));
      String state = s.path("state").asText();
      if (!live(state)) {
        view.finish();
        if (state.equals("failed")) {
          throw new UserException("study " + id + " failed: " + s.path("reason").asText());
        }
        awaitStored(id, deadline);
        return best(id);
      }
      Thread.sleep(1000);
    }
    view.finish();
    throw new UserException(
        "study " + id + " did not finish within " + timeout.toMinutes() + " minutes");
  }

  /** Whether a study in {@code state} may still create or train trials (a paused one resumes). */
  static boolean live(String state) {
    return state.equals("running") || state.equals("paused");
  }

  /** The store learns of the end through Kafka; wait until it shows it, so the answer is final. */
  private void awaitStored(String id, Instant deadline) throws InterruptedException {
    while (Instant.now().isBefore(deadline)) {
      String state = client.get(storeUrl + "/v1/studies/" + id).path("state").asText();
      if (!live(state) && !state.isEmpty()) {
        return;
      }
      Thread.sleep(500);
    }
  }

  /** "rungs 1ep:9 (3↑) · 3ep:3 (1↑) · 9ep:1" for a multi-fidelity study, null for a plain one. */
  String rungs(String id) {
    JsonNode answer;
    try {
      answer = client.get(storeUrl + "/v1/studies/" + id + "/rungs");
    } catch (ServiceClient.ServiceException e) {
      return null;
    }
    JsonNode rungs = answer == null ? null : answer.path("rungs");
    if (rungs == null || rungs.size() < 2) {
      return null;
    }
    StringBuilder sb = new StringBuilder("rungs");
    String sep = " ";
    for (JsonNode r : rungs) {
      sb.append(sep).append(r.path("epoch").asInt()).append("ep:").append(r.path("trials").asInt());
      if (r.path("promoted").asInt() > 0) {
        sb.append(" (").append(r.path("promoted").asInt()).append("↑)");
      }
      sep = " · ";
    }
    return sb.toString();
  }

  /**
   * The results-store's best trial for the study's first objective, or null while none has
   * completed.
   */
  JsonNode best(String id) {
    try {
      JsonNode answer = client.get(storeUrl + "/v1/studies/" + id + "/best");
      JsonNode b = answer == null ? null : answer.path("best");
      if (b == null || b.isNull() || b.isMissingNode()) {
        return null;
      }
      ((com.fasterxml.jackson.databind.node.ObjectNode) b)
          .put("objective", answer.path("objective").path("name").asText("value"));
      return b;
    } catch (ServiceClient.ServiceException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  static String describe(JsonNode best) {
    if (best == null) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "%s %.4f (%s)",
        best.path("objective").asText("val_accuracy"),
        best.path("value").asDouble(),
        best.path("trialId").asText().replaceAll("^.*-(t\\d+)$", "$1"));
  }
}
