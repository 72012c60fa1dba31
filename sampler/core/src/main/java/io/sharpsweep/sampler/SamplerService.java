package io.sharpsweep.sampler;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.protocol.suggest.Suggestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/suggest} as a plain Java call: validates the request, runs the sampler it names
 * and checks that every suggestion is a legal assignment of the space. The REST resource and the
 * CLI's {@code bench-search} both call this.
 */
public final class SamplerService {
  /** Default bound on observations + pending per request. */
  public static final int DEFAULT_MAX_HISTORY = 20_000;

  private final SamplerRegistry registry;
  private final int maxHistory;

  public SamplerService() {
    this(SamplerRegistry.standard(), DEFAULT_MAX_HISTORY);
  }

  /**
   * @param maxHistory the most observations + pending points a request may carry (the cost of TPE
   *     grows linearly with it; the GP conditions on at most its {@code max_observations})
   */
  public SamplerService(SamplerRegistry registry, int maxHistory) {
    if (maxHistory < 0) {
      throw new IllegalArgumentException("maxHistory must be non-negative, got " + maxHistory);
    }
    this.registry = registry;
    this.maxHistory = maxHistory;
  }

  public SamplerRegistry registry() {
    return registry;
  }

  /**
   * The suggestions for {@code request}; the same request always gets the same answer.
   *
   * @throws ValidationException listing every broken rule of the request, each with its field path
   */
  public SuggestResponse suggest(SuggestRequest request) {
    if (request == null) {
      throw new ValidationException(
          "body", "is required: a JSON object with space, objectives, sampler and count");
    }
    List<FieldError> errors = new ArrayList<>(request.validate());
    Sampler sampler = null;
    if (errors.stream().noneMatch(e -> e.field().equals("sampler.type"))) {
      sampler = registry.create(request.sampler(), errors);
    }
    checkHistory(request, sampler, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    SuggestContext context = SuggestContext.of(request);
    int count = request.countOrDefault();
    List<Map<String, Object>> points = sampler.suggest(context, count);
    if (points.size() != count) {
      throw new IllegalStateException(
          "sampler '"
              + request.sampler().type()
              + "' returned "
              + points.size()
              + " suggestions, "
              + count
              + " were asked for");
    }
    List<Suggestion> suggestions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      List<FieldError> broken =
          request.space().checkAssignment(points.get(i), "suggestions[" + i + "].params");
      if (!broken.isEmpty()) {
        // A sampler bug, not a client error: refuse to hand out a configuration a worker cannot
        // train.
        throw new IllegalStateException(
            "sampler '" + request.sampler().type() + "' made an illegal suggestion: " + broken);
      }
      suggestions.add(new Suggestion(points.get(i)));
    }
    return new SuggestResponse(List.copyOf(suggestions));
  }

  /**
   * Observations + pending within the service's {@code sharpsweep.sampler.max-history} and within
   * the sampler's own {@link Sampler#maxHistory()} (unknown when the sampler could not be made).
   */
  private void checkHistory(SuggestRequest request, Sampler sampler, List<FieldError> errors) {
    long history = (long) request.observationsOrEmpty().size() + request.pendingOrEmpty().size();
    String type = request.sampler() == null ? null : request.sampler().type();
    if (sampler != null && sampler.maxHistory() < maxHistory && history > sampler.maxHistory()) {
      errors.add(
          new FieldError(
              "observations",
              "observations + pending hold "
                  + history
                  + " points, more than the "
                  + sampler.maxHistory()
                  + " sampler '"
                  + type
                  + "' accepts (its model's memory and time grow faster than the history):"
                  + " use 'tpe' for a longer history"));
    } else if (history > maxHistory) {
      errors.add(
          new FieldError(
              "observations",
              "observations + pending hold "
                  + history
                  + " points, more than the "
                  + maxHistory
                  + " this service accepts"
                  + (type == null ? "" : " for sampler '" + type + "'")
                  + " (sharpsweep.sampler.max-history)"));
    }
  }
}
