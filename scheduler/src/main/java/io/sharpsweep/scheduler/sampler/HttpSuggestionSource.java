package io.sharpsweep.scheduler.sampler;

import io.sharpsweep.protocol.api.ApiException;
import io.sharpsweep.protocol.api.JsonHttp;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Calls the sampler's {@code POST /v1/suggest} over the protocol's {@link JsonHttp}, with {@code
 * Authorization: Bearer} when a token is given. A 400 is a {@link SamplerRejectedException} with
 * the sampler's errors; anything else that fails, a {@link SamplerUnavailableException}.
 */
public final class HttpSuggestionSource implements SuggestionSource {
  private final JsonHttp http;

  public HttpSuggestionSource(String baseUrl, Duration timeout) {
    this(baseUrl, timeout, Optional.empty());
  }

  /**
   * @param token sent as {@code Authorization: Bearer} when present
   */
  public HttpSuggestionSource(String baseUrl, Duration timeout, Optional<String> token) {
    this.http = new JsonHttp("the sampler", baseUrl, timeout, token);
  }

  @Override
  public SuggestResponse suggest(SuggestRequest request) {
    try {
      return http.decode(http.post("/v1/suggest", request), SuggestResponse.class);
    } catch (ApiException e) {
      if (e.status() == 400) {
        throw new SamplerRejectedException(e.errors().errors());
      }
      throw new SamplerUnavailableException(e.getMessage(), e);
    }
  }
}
