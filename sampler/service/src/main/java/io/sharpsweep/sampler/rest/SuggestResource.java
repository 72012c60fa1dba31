package io.sharpsweep.sampler.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.sampler.SamplerService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/suggest}: the REST face of {@link SamplerService}. */
@Path("/v1/suggest")
@Tag(name = "suggest", description = "Search algorithms: observations in, configurations out")
public class SuggestResource {
  static final String TIMER = "sharpsweep.suggest";

  private final SamplerService service;
  private final MeterRegistry meters;

  @Inject
  public SuggestResource(SamplerService service, MeterRegistry meters) {
    this.service = service;
    this.meters = meters;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Propose configurations",
      description =
          "Validates the space, the observations and the pending points, then asks the named"
              + " sampler for `count` configurations. Deterministic: the same request always gets"
              + " the same answer.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = SuggestRequest.class),
              examples = @ExampleObject(name = "contract", value = SuggestRequest.EXAMPLE)))
  @APIResponse(
      responseCode = "200",
      description = "The suggestions, each a legal assignment of the space",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = SuggestResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "The request breaks a rule; every broken rule is listed with its field path",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public SuggestResponse suggest(SuggestRequest request) {
    Timer.Sample sample = Timer.start(meters);
    String outcome = "ok";
    try {
      return service.suggest(request);
    } catch (RuntimeException e) {
      outcome = e instanceof ValidationException ? "invalid" : "error";
      throw e;
    } finally {
      sample.stop(
          Timer.builder(TIMER)
              .description("Time to answer POST /v1/suggest")
              .tag("sampler", samplerTag(request))
              .tag("outcome", outcome)
              .register(meters));
    }
  }

  /** The sampler type if this service knows it; anything else is folded into one tag value. */
  private String samplerTag(SuggestRequest request) {
    String type = request == null || request.sampler() == null ? null : request.sampler().type();
    return service.registry().contains(type) ? type : "unknown";
  }
}
