package io.sharpsweep.scheduler.control;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
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
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The results-store's control endpoints ({@link ControlPaths}) for the scheduler, over HTTP with
 * the shared JSON codec. 400, 404 and 409 become {@link ControlException.BadRequest}, {@link
 * ControlException.NotFound} and {@link ControlException.Conflict} with the store's error body; an
 * unreachable store, a time-out, a 5xx or an unreadable body become {@link
 * StoreUnavailableException}. Thread-safe.
 */
public final class ControlClient {
  private static final TypeReference<List<StudyStatus>> STATUS_LIST = new TypeReference<>() {};
  private static final TypeReference<List<String>> ID_LIST = new TypeReference<>() {};

  /** Attempts of an idempotent call that could not reach the store, and the pause between them. */
  static final int ATTEMPTS = 3;

  static final Duration RETRY_PAUSE = Duration.ofMillis(250);

  private final String baseUrl;
  private final Duration timeout;
  private final Optional<String> token;
  private final HttpClient client;

  /**
   * @param baseUrl the store's base URL, e.g. {@code http://127.0.0.1:8082}
   * @param timeout connect and request time-out of one call
   * @param token sent as {@code Authorization: Bearer} when present
   */
  public ControlClient(String baseUrl, Duration timeout, Optional<String> token) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.timeout = timeout;
    this.token = token.filter(t -> !t.isBlank());
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Creates the study (201), or answers the existing one with that id and spec (200). Retried when
   * the store cannot be reached: the store makes the call idempotent by id.
   */
  public StudyStatus createStudy(CreateStudy request) {
    StoreUnavailableException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return decode(post(ControlPaths.STUDIES, request), StudyStatus.class);
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
    return decode(get(ControlPaths.STUDIES), STATUS_LIST);
  }

  /**
   * @throws ControlException.NotFound when the store knows no such study
   */
  public StudyStatus getStudy(String id) {
    return decode(get(study(id)), StudyStatus.class);
  }

  public StudyStatus cancel(String id, EndStudy reason) {
    return decode(post(study(id) + "/cancel", reason), StudyStatus.class);
  }

  /**
   * @throws ControlException.Conflict when the study is not running
   */
  public StudyStatus pause(String id) {
    return decode(post(study(id) + "/pause", Map.of()), StudyStatus.class);
  }

  /**
   * @throws ControlException.Conflict when the study is not running
   */
  public StudyStatus resume(String id) {
    return decode(post(study(id) + "/resume", Map.of()), StudyStatus.class);
  }

  /**
   * @throws ControlException.BadRequest naming {@code trials} or {@code maxEpochs} when the study's
   *     schedule cannot be extended so
   * @throws ControlException.Conflict when the study is cancelled or failed
   */
  public StudyStatus extend(String id, ExtendStudy request) {
    return decode(post(study(id) + "/extend", request), StudyStatus.class);
  }

  /**
   * @throws ControlException.BadRequest naming the field of a configuration outside the space
   * @throws ControlException.Conflict when the study is not running or its budget has no room
   */
  public EnqueuedConfigs enqueue(String id, EnqueueConfigs request) {
    return decode(post(study(id) + "/enqueue", request), EnqueuedConfigs.class);
  }

  public StudyStatus fail(String id, EndStudy reason) {
    return decode(post(study(id) + "/fail", reason), StudyStatus.class);
  }

  /** What to ask the sampler for the study's next trials; empty when it wants none now (204). */
  public Optional<SuggestContext> suggestContext(String id) {
    HttpResponse<byte[]> response = get(study(id) + "/suggest-context");
    if (response.statusCode() == 204) {
      return Optional.empty();
    }
    return Optional.of(decode(response, SuggestContext.class));
  }

  /**
   * @throws ControlException.Conflict when {@code firstNumber} is not the study's next number
   */
  public StudyStatus createTrials(String id, NewTrials trials) {
    return decode(post(study(id) + "/trials", trials), StudyStatus.class);
  }

  /** The ids of the studies that want new trials now. */
  public List<String> wanting() {
    return decode(get(ControlPaths.WANTING), ID_LIST);
  }

  private static String study(String id) {
    return ControlPaths.STUDIES + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private HttpResponse<byte[]> get(String path) {
    return send(request(path).GET().build());
  }

  private HttpResponse<byte[]> post(String path, Object body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.encode(body)))
            .build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .header("Accept", "application/json");
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new StoreUnavailableException(
          baseUrl,
          "cannot reach the results-store at "
              + baseUrl
              + " ("
              + request.method()
              + " "
              + request.uri().getPath()
              + "): "
              + describe(e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(
          baseUrl, "interrupted while calling the results-store at " + baseUrl, e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response;
    }
    String what =
        "the results-store at "
            + baseUrl
            + " answered "
            + status
            + " to "
            + request.method()
            + " "
            + request.uri().getPath();
    if (status >= 500) {
      throw new StoreUnavailableException(baseUrl, what, null);
    }
    ErrorResponse errors = errorBody(response.body());
    String message = errors.errors().isEmpty() ? what : what + ": " + errors.errors();
    throw switch (status) {
      case 400 -> new ControlException.BadRequest(message, errors);
      case 404 -> new ControlException.NotFound(message, errors);
      case 409 -> new ControlException.Conflict(message, errors);
      default -> new ControlException(status, message, errors);
    };
  }

  private static ErrorResponse errorBody(byte[] body) {
    if (body == null || body.length == 0) {
      return new ErrorResponse(List.of());
    }
    try {
      ErrorResponse e = Json.decode(body, ErrorResponse.class);
      return e.errors() == null ? new ErrorResponse(List.of()) : e;
    } catch (MalformedRecordException e) {
      return new ErrorResponse(List.of());
    }
  }

  private <T> T decode(HttpResponse<byte[]> response, Class<T> type) {
    try {
      return Json.decode(response.body(), type);
    } catch (MalformedRecordException e) {
      throw unreadable(response, e);
    }
  }

  private <T> T decode(HttpResponse<byte[]> response, TypeReference<T> type) {
    try {
      return Json.mapper().readValue(response.body(), type);
    } catch (IOException e) {
      throw unreadable(response, e);
    }
  }

  private StoreUnavailableException unreadable(HttpResponse<byte[]> response, Exception e) {
    return new StoreUnavailableException(
        baseUrl,
        "the results-store at "
            + baseUrl
            + " answered "
            + response.statusCode()
            + " to "
            + response.request().uri().getPath()
            + " with an unreadable body: "
            + e.getMessage(),
        e);
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
