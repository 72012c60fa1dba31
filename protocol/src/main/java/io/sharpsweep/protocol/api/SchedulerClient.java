package io.sharpsweep.protocol.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sharpsweep.protocol.control.EnqueueConfigs;
import io.sharpsweep.protocol.control.EnqueuedConfigs;
import io.sharpsweep.protocol.control.ExtendStudy;
import io.sharpsweep.protocol.control.StudyStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The scheduler's study API ({@code /v1/studies} on the scheduler), typed. Failures are {@link
 * ApiException}s: 400 with the fields of the spec or request the scheduler refuses, 404 for an
 * unknown study, 409 for a study whose state forbids the action, 503 while the results-store cannot
 * be reached.
 */
public final class SchedulerClient {
  private static final TypeReference<List<StudyStatus>> STATUSES = new TypeReference<>() {};

  private final JsonHttp http;

  public SchedulerClient(JsonHttp http) {
    this.http = http;
  }

  /**
   * @param baseUrl e.g. {@code http://127.0.0.1:8080}
   * @param token the bearer token, or null when the scheduler requires none
   */
  public static SchedulerClient of(String baseUrl, String token) {
    return new SchedulerClient(
        new JsonHttp("the scheduler", baseUrl, Duration.ofSeconds(60), Optional.ofNullable(token)));
  }

  public String baseUrl() {
    return http.baseUrl();
  }

  /**
   * {@code POST /v1/studies}: creates and starts a study.
   *
   * @param spec the study spec as written, YAML or JSON
   * @param contentType {@code application/yaml} or {@code application/json}
   */
  public StudyStatus create(String spec, String contentType) {
    return http.decode(
        http.post("/v1/studies", contentType, spec.getBytes(StandardCharsets.UTF_8)),
        StudyStatus.class);
  }

  /** {@code GET /v1/studies}: every study's lifecycle and capacity. */
  public List<StudyStatus> studies() {
    return http.get("/v1/studies", STATUSES);
  }

  /** {@code GET /v1/studies/{id}}. */
  public StudyStatus study(String id) {
    return http.get(path(id, ""), StudyStatus.class);
  }

  /** {@code POST /v1/studies/{id}/cancel}. */
  public StudyStatus cancel(String id) {
    return action(id, "/cancel");
  }

  /** {@code POST /v1/studies/{id}/pause}. */
  public StudyStatus pause(String id) {
    return action(id, "/pause");
  }

  /** {@code POST /v1/studies/{id}/resume}. */
  public StudyStatus resume(String id) {
    return action(id, "/resume");
  }

  /** {@code POST /v1/studies/{id}/extend}. */
  public StudyStatus extend(String id, ExtendStudy request) {
    return http.decode(http.post(path(id, "/extend"), request), StudyStatus.class);
  }

  /** {@code POST /v1/studies/{id}/enqueue} with a request. */
  public EnqueuedConfigs enqueue(String id, EnqueueConfigs request) {
    return http.decode(http.post(path(id, "/enqueue"), request), EnqueuedConfigs.class);
  }

  /**
   * {@code POST /v1/studies/{id}/enqueue} with the configurations as written: a YAML or JSON list,
   * or an object with {@code configs} or {@code preset}.
   */
  public EnqueuedConfigs enqueue(String id, String configs, String contentType) {
    return http.decode(
        http.post(path(id, "/enqueue"), contentType, configs.getBytes(StandardCharsets.UTF_8)),
        EnqueuedConfigs.class);
  }

  private StudyStatus action(String id, String action) {
    return http.decode(
        http.post(path(id, action), "application/json", new byte[0]), StudyStatus.class);
  }

  private static String path(String id, String rest) {
    return "/v1/studies/" + JsonHttp.segment(id) + rest;
  }
}
