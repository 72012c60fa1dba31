package io.sharpsweep.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sharpsweep.protocol.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The integration tests' look at the services' raw JSON (the commands use the typed clients of
 * {@code io.sharpsweep.protocol.api}); every failure is a {@link ServiceException} naming the URL.
 */
public final class ServiceClient {
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private final String token;

  public ServiceClient(String token) {
    this.token = token;
  }

  public JsonNode get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), url).body();
  }

  /**
   * One page of a paginated list: its body, and the URL of the next page from the {@code Link}
   * header's {@code rel="next"} (resolved against {@code url}; null on the last page).
   */
  public record Page(JsonNode body, String next) {}

  public Page getPage(String url) {
    Answer a = send(HttpRequest.newBuilder(URI.create(url)).GET(), url);
    String next = null;
    for (String link : a.headers().allValues("Link")) {
      Matcher m = NEXT.matcher(link);
      if (m.find()) {
        next = URI.create(url).resolve(m.group(1)).toString();
      }
    }
    return new Page(a.body(), next);
  }

  /**
   * Every element of a paginated list, following {@code rel="next"} from {@code firstUrl} to the
   * last page.
   */
  public ArrayNode getAllPages(String firstUrl) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (String url = firstUrl; url != null; ) {
      Page p = getPage(url);
      if (p.body() != null) {
        p.body().forEach(out::add);
      }
      url = p.next();
    }
    return out;
  }

  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private record Answer(JsonNode body, java.net.http.HttpHeaders headers) {}

  /** The body as text (CSV exports), after the same error handling as the JSON calls. */
  public String getText(String url) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).GET().timeout(Duration.ofSeconds(60));
    if (token != null && !token.isBlank()) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) {
        JsonNode body = null;
        try {
          body = Json.mapper().readTree(r.body());
        } catch (IOException notJson) {
          // keep the status alone
        }
        throw new ServiceException(
            url + " answered " + r.statusCode() + describeErrors(body), r.statusCode(), body);
      }
      return r.body();
    } catch (ConnectException e) {
      throw new ServiceException("cannot reach " + url + " (is the service running?)", 0, null);
    } catch (IOException e) {
      throw new ServiceException("request to " + url + " failed: " + e.getMessage(), 0, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException("interrupted while calling " + url, 0, null);
    }
  }

  public JsonNode post(String url, String contentType, String body) {
    return sendFor(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        url);
  }

  private JsonNode sendFor(HttpRequest.Builder builder, String url) {
    return send(builder, url).body();
  }

  private Answer send(HttpRequest.Builder builder, String url) {
    builder.timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
    if (token != null && !token.isBlank()) {
      builder.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new ServiceException("cannot reach " + url + " (is the service running?)", 0, null);
    } catch (IOException e) {
      throw new ServiceException("request to " + url + " failed: " + e.getMessage(), 0, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException("interrupted while calling " + url, 0, null);
    }
    JsonNode body = null;
    if (response.body() != null && !response.body().isBlank()) {
      try {
        body = Json.mapper().readTree(response.body());
      } catch (IOException e) {
        throw new ServiceException(
            url + " answered " + response.statusCode() + " with a body that is not JSON",
            response.statusCode(),
            null);
      }
    }
    if (response.statusCode() >= 300) {
      throw new ServiceException(
          url + " answered " + response.statusCode() + describeErrors(body),
          response.statusCode(),
          body);
    }
    return new Answer(body, response.headers());
  }

  private static String describeErrors(JsonNode body) {
    if (body == null || !body.has("errors")) {
      return "";
    }
    StringBuilder sb = new StringBuilder(":");
    for (JsonNode e : body.get("errors")) {
      String field = e.path("field").asText("");
      sb.append(' ')
          .append(field.isEmpty() ? "" : field + ": ")
          .append(e.path("message").asText())
          .append(';');
    }
    return sb.substring(0, sb.length() - 1);
  }

  /** A service answered with an error or could not be reached. */
  public static class ServiceException extends RuntimeException {
    private final int status;
    private final transient JsonNode body;

    public ServiceException(String message, int status, JsonNode body) {
      super(message);
      this.status = status;
      this.body = body;
    }

    public int status() {
      return status;
    }

    public JsonNode body() {
      return body;
    }
  }
}
