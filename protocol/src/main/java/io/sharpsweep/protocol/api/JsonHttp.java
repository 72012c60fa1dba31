package io.sharpsweep.protocol.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * JSON over HTTP to one SharpSweep service, with the protocol's {@link Json} codec and the bearer
 * token when one is given. Every failure is an {@link ApiException}: a non-2xx answer carries its
 * status and the service's errors body; no answer (unreachable, timed out) has status 0 and the
 * {@link IOException} as its cause; a 2xx whose body cannot be decoded carries the decoding error.
 * Answers are read as leniently as the records' producers are told to be: unknown fields are
 * ignored and a number left out reads as 0 (an answer leaves out what it does not know).
 * Thread-safe.
 */
public final class JsonHttp {
  private final String service;
  private final String baseUrl;
  private final Duration timeout;
  private final Optional<String> token;
  private final HttpClient client;

  /**
   * @param service how messages name the service, e.g. {@code the results-store}
   * @param baseUrl e.g. {@code http://127.0.0.1:8082}; trailing slashes are dropped
   * @param timeout connect and request time-out of one call
   * @param token sent as {@code Authorization: Bearer} when present and not blank
   */
  public JsonHttp(String service, String baseUrl, Duration timeout, Optional<String> token) {
    this.service = service;
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

  /** A 2xx answer: its status, body and headers. */
  public record Answer(int status, byte[] body, HttpHeaders headers, String path) {
    public boolean empty() {
      return body == null || body.length == 0;
    }
  }

  /** {@code segment} encoded for a URL path (a study or trial id). */
  public static String segment(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code ?a=1&b=2} of the pairs whose value is not null, or the empty string. */
  public static String query(Object... namesAndValues) {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      if (v == null) {
        continue;
      }
      q.append(q.isEmpty() ? '?' : '&')
          .append(namesAndValues[i])
          .append('=')
          .append(URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  public <T> T get(String path, Class<T> type) {
    return decode(get(path), type);
  }

  public <T> T get(String path, TypeReference<T> type) {
    return decode(get(path), type);
  }

  public Answer get(String path) {
    return send(request(path).GET());
  }

  /** The body as text, e.g. a CSV export. */
  public String getText(String path, String accept) {
    Answer a = send(request(path).header("Accept", accept).GET());
    return a.empty() ? "" : new String(a.body(), StandardCharsets.UTF_8);
  }

  /** POSTs {@code body} encoded as JSON; a null body sends an empty one. */
  public Answer post(String path, Object body) {
    byte[] bytes = body == null ? new byte[0] : Json.encode(body);
    return post(path, "application/json", bytes);
  }

  /** POSTs {@code body} as it is, e.g. a study spec in YAML. */
  public Answer post(String path, String contentType, byte[] body) {
    return send(
        request(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public <T> T decode(Answer answer, Class<T> type) {
    return read(answer, Json.mapper().readerFor(type));
  }

  public <T> T decode(Answer answer, TypeReference<T> type) {
    return read(answer, Json.mapper().readerFor(type));
  }

  private <T> T read(Answer answer, ObjectReader reader) {
    try {
      T value =
          reader
              .without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
              .readValue(answer.body());
      if (value == null) {
        throw new IOException("an empty body where an answer was expected");
      }
      return value;
    } catch (IOException e) {
      throw unreadable(answer, e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .header("Accept", "application/json");
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private Answer send(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    String what = request.method() + " " + request.uri().getRawPath();
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      String hint = e instanceof ConnectException ? " (is it running?)" : "";
      throw new ApiException(
          0,
          "cannot reach " + service + " at " + baseUrl + hint + " (" + what + "): " + describe(e),
          null,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(
          0,
          "interrupted while calling " + service + " at " + baseUrl + " (" + what + ")",
          null,
          e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Answer(status, response.body(), response.headers(), what);
    }
    ErrorResponse errors = errorBody(response.body());
    StringBuilder message =
        new StringBuilder(service + " at " + baseUrl + " answered " + status + " to " + what);
    String sep = ": ";
    for (var e : errors.errors()) {
      message.append(sep);
      if (e.field() != null && !e.field().isEmpty()) {
        message.append(e.field()).append(": ");
      }
      message.append(e.message());
      sep = "; ";
    }
    throw new ApiException(status, message.toString(), errors);
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

  private ApiException unreadable(Answer answer, Exception e) {
    return new ApiException(
        answer.status(),
        service
            + " at "
            + baseUrl
            + " answered "
            + answer.status()
            + " to "
            + answer.path()
            + " with an unreadable body: "
            + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
        null,
        e);
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
