package io.sharpsweep.scheduler.api;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.scheduler.study.Study;
import io.sharpsweep.scheduler.study.StudyCoordinator;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Study lifecycle over REST: create (JSON or YAML), look up, cancel. */
@Path("/v1/studies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "studies")
@Blocking
public class StudyResource {
  @Inject StudyCoordinator coordinator;

  /**
   * {@code sharpsweep.api-token}: when set, mutating endpoints need {@code Authorization: Bearer
   * <token>}.
   */
  @ConfigProperty(name = "sharpsweep.api-token")
  Optional<String> apiToken;

  @POST
  @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml"})
  @Operation(
      summary = "Create and start a study",
      description = "The body is a study spec (DESIGN.md §8) as JSON or YAML.")
  @RequestBody(description = "study spec")
  @APIResponse(responseCode = "201", description = "the study, running")
  @APIResponse(
      responseCode = "400",
      description = "{\"errors\": [{\"field\": \"space[3].low\", \"message\": \"...\"}]}")
  public Response create(
      String body,
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam("Authorization") String auth) {
    authorize(auth);
    if (body == null || body.isBlank()) {
      throw new io.sharpsweep.protocol.ValidationException(
          "", "a study spec is required in the request body");
    }
    boolean yaml =
        contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("yaml");
    StudySpec spec =
        yaml ? Json.decodeYaml(body, StudySpec.class) : Json.decode(body, StudySpec.class);
    Study study = coordinator.create(spec);
    return Response.created(URI.create("/v1/studies/" + study.id()))
        .entity(StudyView.of(study, coordinator.inFlight(study.id())))
        .build();
  }

  @GET
  @Operation(summary = "Studies known to this scheduler")
  public List<StudyView> list() {
    return coordinator.all().stream()
        .map(s -> StudyView.of(s, coordinator.inFlight(s.id())))
        .toList();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One study's lifecycle and capacity")
  @APIResponse(responseCode = "404", description = "unknown study")
  public StudyView get(@PathParam("id") String id) {
    return StudyView.of(coordinator.get(id), coordinator.inFlight(id));
  }

  @POST
  @Path("{id}/cancel")
  @Operation(summary = "Stop assigning new trials; segments already running finish and are stored")
  public StudyView cancel(@PathParam("id") String id, @HeaderParam("Authorization") String auth) {
    authorize(auth);
    return StudyView.of(coordinator.cancel(id, null), coordinator.inFlight(id));
  }

  private void authorize(String header) {
    if (apiToken.isEmpty()) {
      return;
    }
    if (header == null || !header.equals("Bearer " + apiToken.get())) {
      throw new NotAuthorizedException(
          "a bearer token is required (sharpsweep.api-token)", "Bearer");
    }
  }
}
