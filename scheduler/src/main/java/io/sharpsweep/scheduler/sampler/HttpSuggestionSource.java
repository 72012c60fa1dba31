package io.sharpsweep.scheduler.sampler;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Calls the sampler's {@code POST /v1/suggest} over HTTP with the shared JSON codec, with {@code
 * Authorization: Bearer} when a token is given.
 */
public final class HttpSuggestionSource implements SuggestionSource {
  private final URI endpoint;
  private final Duration timeout;
  private final Optional<String> token;
  private final HttpClient client;

  public HttpSuggestionSource(String baseUrl, Duration timeout) {
    this(baseUrl, timeout, Optional.empty());
  }

  /**
   * @param token sent as {@code Authorization: Bearer} when present
   */
  public HttpSuggestionSource(String baseUrl, Duration timeout, Optional<String> token) {
    this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/suggest");
    this.timeout = timeout;
    this.token = token.filter(t -> !t.isBlank());
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  @Override
  public SuggestResponse suggest(SuggestRequest request) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.encode(request)));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpRequest http = b.build();
    HttpResponse<byte[]> response;
    try {
      response = client.send(http, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new SamplerUnavailableException(
          "cannot reach the sampler at " + endpoint + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SamplerUnavailableException(
          "interrupted while calling the sampler at " + endpoint, e);
    }
    try {
      if (response.statusCode() == 200) {
        return Json.decode(response.body(), SuggestResponse.class);
      }
      if (response.statusCode() == 400) {
        throw new SamplerRejectedException(
            Json.decode(response.body(), ErrorResponse.class).errors());
      }
    } catch (MalformedRecordException e) {
      throw new SamplerUnavailableException(
          "the sampler at "
              + endpoint
              + " answered "
              + response.statusCode()
              + " with an unreadable body",
          e);
    }
    throw new SamplerUnavailableException(
        "the sampler at " + endpoint + " answered HTTP " + response.statusCode(), null);
  }
}
