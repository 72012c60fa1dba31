package io.sharpsweep.scheduler.control;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sharpsweep.protocol.api.ApiException;
import io.sharpsweep.protocol.api.JsonHttp;
import io.sharpsweep.protocol.control.ControlPaths;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.EndStudy;
import io.sharpsweep.protocol.control.EnqueueConfigs;
import io.sharpsweep.protocol.control.EnqueuedConfigs;
import io.sharpsweep.protocol.control.ExtendStudy;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.control.StudyStatus;
import io.sharpsweep.protocol.control.SuggestContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The results-store's control endpoints ({@link ControlPaths}) for the scheduler, over the
 * protocol's {@link JsonHttp} like every other client of the services. 400, 404 and 409 become
 * {@link ControlException.BadRequest}, {@link ControlException.NotFound} and {@link
 * ControlException.Conflict} with the store's error body; an unreachable store, a time-out, a 5xx
 * or an unreadable body become {@link StoreUnavailableException}. Thread-safe.
 */
public final class ControlClient {
  private static final TypeReference<List<StudyStatus>> STATUS_LIST = new TypeReference<>() {};
  private static final TypeReference<List<String>> ID_LIST = new TypeReference<>() {};

  /** Attempts of an idempotent call that could not reach the store, and the pause between them. */
  static final int ATTEMPTS = 3;

  static final Duration RETRY_PAUSE = Duration.ofMillis(250);

  private final JsonHttp http;

  /**
   * @param baseUrl the store's base URL, e.g. {@code http://127.0.0.1:8082}
   * @param timeout connect and request time-out of one call
   * @param token sent as {@code Authorization: Bearer} when present
   */
  public ControlClient(String baseUrl, Duration timeout, Optional<String> token) {
    this.http = new JsonHttp("the results-store", baseUrl, timeout, token);
  }

  public String baseUrl() {
    return http.baseUrl();
  }

  /**
   * Creates the study (201), or answers the existing one with that id and spec (200). Retried when
   * the store cannot be reached: the store makes the call idempotent by id.
   */
  public StudyStatus createStudy(CreateStudy request) {
    StoreUnavailableException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return post(ControlPaths.STUDIES, request, StudyStatus.class);
      } catch (StoreUnavailableException e) {
        last = e;
        if (!(e.getCause() instanceof IOException) || attempt == ATTEMPTS) {
          break;
        }
        pause();
      }
    }
    throw last;
  }

  public List<StudyStatus> listStudies() {
    return call(() -> http.get(ControlPaths.STUDIES, STATUS_LIST));
  }

  /**
   * @throws ControlException.NotFound when the store knows no such study
   */
  public StudyStatus getStudy(String id) {
    return call(() -> http.get(study(id), StudyStatus.class));
  }

  public StudyStatus cancel(String id, EndStudy reason) {
    return post(study(id) + "/cancel", reason, StudyStatus.class);
  }

  /**
   * @throws ControlException.Conflict when the study is not running
   */
  public StudyStatus pause(String id) {
    return post(study(id) + "/pause", Map.of(), StudyStatus.class);
  }

  /**
   * @throws ControlException.Conflict when the study is not running
   */
  public StudyStatus resume(String id) {
    return post(study(id) + "/resume", Map.of(), StudyStatus.class);
  }

  /**
   * @throws ControlException.BadRequest naming {@code trials} or {@code maxEpochs} when the study's
   *     schedule cannot be extended so
   * @throws ControlException.Conflict when the study is cancelled or failed
   */
  public StudyStatus extend(String id, ExtendStudy request) {
    return post(study(id) + "/extend", request, StudyStatus.class);
  }

  /**
   * @throws ControlException.BadRequest naming the field of a configuration outside the space
   * @throws ControlException.Conflict when the study is not running or its budget has no room
   */
  public EnqueuedConfigs enqueue(String id, EnqueueConfigs request) {
    return post(study(id) + "/enqueue", request, EnqueuedConfigs.class);
  }

  public StudyStatus fail(String id, EndStudy reason) {
    return post(study(id) + "/fail", reason, StudyStatus.class);
  }

  /** What to ask the sampler for the study's next trials; empty when it wants none now (204). */
  public Optional<SuggestContext> suggestContext(String id) {
    return call(
        () -> {
          JsonHttp.Answer answer = http.get(study(id) + "/suggest-context");
          return answer.status() == 204
              ? Optional.empty()
              : Optional.of(http.decode(answer, SuggestContext.class));
        });
  }

  /**
   * @throws ControlException.Conflict when {@code firstNumber} is not the study's next number
   */
  public StudyStatus createTrials(String id, NewTrials trials) {
    return post(study(id) + "/trials", trials, StudyStatus.class);
  }

  /** The ids of the studies that want new trials now. */
  public List<String> wanting() {
    return call(() -> http.get(ControlPaths.WANTING, ID_LIST));
  }

  private static String study(String id) {
    return ControlPaths.STUDIES + "/" + JsonHttp.segment(id);
  }

  private <T> T post(String path, Object body, Class<T> type) {
    return call(() -> http.decode(http.post(path, body), type));
  }

  /** Runs one call, its failure as the scheduler's exceptions. */
  private <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      if (e.retryable()) {
        throw new StoreUnavailableException(
            http.baseUrl(), e.status(), e.getMessage(), e.getCause());
      }
      throw switch (e.status()) {
        case 400 -> new ControlException.BadRequest(e.getMessage(), e.errors());
        case 404 -> new ControlException.NotFound(e.getMessage(), e.errors());
        case 409 -> new ControlException.Conflict(e.getMessage(), e.errors());
        default -> new ControlException(e.status(), e.getMessage(), e.errors());
      };
    }
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
