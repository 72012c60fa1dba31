package io.sharpsweep.scheduler.sampler;

import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;

/** Where configurations come from: the sampler service's {@code POST /v1/suggest}. */
public interface SuggestionSource {
  /**
   * @throws SamplerRejectedException when the sampler answers that the request is invalid (the
   *     study cannot go on)
   * @throws SamplerUnavailableException when the sampler cannot be reached or fails (worth
   *     retrying)
   */
  SuggestResponse suggest(SuggestRequest request);
}
