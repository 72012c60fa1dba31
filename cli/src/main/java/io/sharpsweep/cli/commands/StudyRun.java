package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.protocol.api.ApiException;
import io.sharpsweep.protocol.api.BestAnswer;
import io.sharpsweep.protocol.api.RungOccupancy;
import io.sharpsweep.protocol.api.RungsAnswer;
import io.sharpsweep.protocol.api.SchedulerClient;
import io.sharpsweep.protocol.api.StoreClient;
import io.sharpsweep.protocol.api.StudySummary;
import io.sharpsweep.protocol.control.StudyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Creates a study on the scheduler and follows it to its end, reading results from the
 * results-store.
 */
final class StudyRun {
  private final SchedulerClient scheduler;
  private final StoreClient store;

  StudyRun(SchedulerClient scheduler, StoreClient store) {
    this.scheduler = scheduler;
    this.store = store;
  }

  String create(String specYamlOrJson) {
    return scheduler.create(specYamlOrJson, "application/yaml").id();
  }

  /**
   * Cancels the studies that an earlier, interrupted run left running in the same work directory:
   * the store keeps them, so its workers would otherwise share their time with the new study. Best
   * effort: a study that cannot be cancelled is named and left alone.
   */
  void cancelLeftovers(java.util.function.Consumer<String> say) {
    List<StudySummary> studies;
    try {
      studies = store.studies();
    } catch (ApiException e) {
      return;
    }
    for (StudySummary s : studies) {
      if (!live(s.state())) {
        continue;
      }
      try {
        scheduler.cancel(s.id());
        say.accept("cancelled study " + s.id() + ", left running by an earlier run");
      } catch (ApiException e) {
        say.accept(
            "could not cancel study "
                + s.id()
                + " left running by an earlier run: "
                + e.getMessage());
      }
    }
  }

  /**
   * Polls until the scheduler has ended the study and the results-store has stored its end; returns
   * the store's best answer (whose {@code best} is null when no trial completed), or null when the
   * store does not know the study.
   */
  BestAnswer follow(String id, ProgressView view, Duration timeout) throws InterruptedException {
    Instant start = Instant.now();
    Instant deadline = start.plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      StudyStatus s = scheduler.study(id);
      int total = s.budget() == null || s.budget().trials() == null ? 0 : s.budget().trials();
      BestAnswer best = best(id);
      view.update(
          s.completed() + s.failed(),
          total,
          s.running(),
          s.failed(),
          describe(best),
          rungs(id),
          Duration.between(start, Instant.now()));
      String state = s.state() == null ? "" : s.state();
      if (!live(state)) {
        view.finish();
        if (state.equals("failed")) {
          throw new UserException("study " + id + " failed: " + s.reason());
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
    return "running".equals(state) || "paused".equals(state);
  }

  /** The store learns of the end through Kafka; wait until it shows it, so the answer is final. */
  private void awaitStored(String id, Instant deadline) throws InterruptedException {
    while (Instant.now().isBefore(deadline)) {
      String state = store.study(id).state();
      if (state != null && !state.isEmpty() && !live(state)) {
        return;
      }
      Thread.sleep(500);
    }
  }

  /** "rungs 1ep:9 (3↑) · 3ep:3 (1↑) · 9ep:1" for a multi-fidelity study, null for a plain one. */
  String rungs(String id) {
    RungsAnswer answer;
    try {
      answer = store.rungs(id);
    } catch (ApiException e) {
      return null;
    }
    List<RungOccupancy> rungs = answer.rungs();
    if (rungs == null || rungs.size() < 2) {
      return null;
    }
    StringBuilder sb = new StringBuilder("rungs");
    String sep = " ";
    for (RungOccupancy r : rungs) {
      sb.append(sep).append(r.epoch()).append("ep:").append(r.trials());
      if (r.promoted() > 0) {
        sb.append(" (").append(r.promoted()).append("↑)");
      }
      sep = " · ";
    }
    return sb.toString();
  }

  /**
   * The results-store's best trial for the study's first objective ({@code best} null while none
   * has completed), or null while the store does not know the study.
   */
  BestAnswer best(String id) {
    try {
      return store.best(id);
    } catch (ApiException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  static String describe(BestAnswer answer) {
    if (answer == null || answer.best() == null) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "%s %.4f (%s)",
        answer.objective() == null ? "value" : answer.objective().name(),
        answer.best().value(),
        answer.best().trialId().replaceAll("^.*-(t\\d+)$", "$1"));
  }
}
