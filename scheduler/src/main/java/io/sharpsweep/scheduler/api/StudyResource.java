package io.sharpsweep.scheduler.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.EndStudy;
import io.sharpsweep.protocol.control.EnqueueConfigs;
import io.sharpsweep.protocol.control.EnqueuedConfigs;
import io.sharpsweep.protocol.control.ExtendStudy;
import io.sharpsweep.protocol.control.StudyStatus;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.StudySpecValidator;
import io.sharpsweep.protocol.study.TrialIds;
import io.sharpsweep.scheduler.SchedulerConfig;
import io.sharpsweep.scheduler.control.ControlClient;
import io.sharpsweep.scheduler.control.ControlException;
import io.sharpsweep.scheduler.trials.TrialFactory;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public study API: create (JSON or YAML), list, show, pause, resume, extend, enqueue, cancel.
 * The scheduler validates and names new studies; the results-store holds them, so every answer
 * comes from the store and any scheduler replica answers for every study.
 *
 * <p>Every {@code POST} needs the bearer token when one is configured, reads only with {@code
 * sharpsweep.auth.protect-reads=true}: Quarkus Security enforces it by the {@code
 * quarkus.http.auth.permission} rules of {@code application.properties} (module {@code
 * service-support}, {@code docs/security.md}).
 */
@Path("/v1/studies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "studies")
@Blocking
public class StudyResource {
  @Inject ControlClient store;
  @Inject TrialFactory factory;
  @Inject SchedulerConfig config;

  @POST
  @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml"})
  @Operation(
      summary = "Create and start a study",
      description = "The body is a study spec as JSON or YAML.")
  @RequestBody(description = "study spec")
  @APIResponse(responseCode = "201", description = "the study, running")
  @APIResponse(
      responseCode = "400",
      description = "{\"errors\": [{\"field\": \"space[3].low\", \"message\": \"...\"}]}")
  @APIResponse(responseCode = "503", description = "the results-store cannot be reached")
  public Response create(String body, @HeaderParam("Content-Type") String contentType) {
    if (body == null || body.isBlank()) {
      throw new ValidationException("body", "a study spec is required in the request body");
    }
    boolean yaml = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("yaml");
    StudySpec spec =
        yaml ? Json.decodeYaml(body, StudySpec.class) : Json.decode(body, StudySpec.class);
    StudySpecValidator.requireValid(spec, config.maxDatasetBytes());
    if (spec.warmStart() != null) {
      try {
        store.getStudy(spec.warmStart().fromStudy());
      } catch (ControlException.NotFound e) {
        throw new ValidationException(
            "warmStart.fromStudy", "no study '" + spec.warmStart().fromStudy() + "'");
      }
    }
    long now = System.currentTimeMillis();
    StudyStatus status = store.createStudy(new CreateStudy(TrialIds.newStudyId(now), spec, now));
    factory.wake(status.id());
    return Response.created(URI.create("/v1/studies/" + status.id())).entity(status).build();
  }

  @GET
  @Operation(summary = "Every study, with its lifecycle and capacity")
  @APIResponse(responseCode = "503", description = "the results-store cannot be reached")
  public List<StudyStatus> list() {
    return store.listStudies();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One study's lifecycle and capacity")
  @APIResponse(responseCode = "404", description = "unknown study")
  @APIResponse(responseCode = "503", description = "the results-store cannot be reached")
  public StudyStatus get(@PathParam("id") String id) {
    return store.getStudy(id);
  }

  @POST
  @Path("{id}/cancel")
  @Operation(summary = "Create no new trial; segments already running finish and are stored")
  @APIResponse(responseCode = "404", description = "unknown study")
  public StudyStatus cancel(@PathParam("id") String id) {
    return store.cancel(id, new EndStudy("cancelled by the user"));
  }

  @POST
  @Path("{id}/pause")
  @Operation(
      summary = "Lease no segment and create no trial until resumed",
      description =
          "Segments already leased finish the segment they train and their reports are stored;"
              + " promotions and retries are queued for the resume. The state shows as paused.")
  @APIResponse(responseCode = "404", description = "unknown study")
  @APIResponse(responseCode = "409", description = "the study is not running")
  public StudyStatus pause(@PathParam("id") String id) {
    return store.pause(id);
  }

  @POST
  @Path("{id}/resume")
  @Operation(summary = "Lease and create trials again")
  @APIResponse(responseCode = "404", description = "unknown study")
  @APIResponse(responseCode = "409", description = "the study is not running or paused")
  public StudyStatus resume(@PathParam("id") String id) {
    StudyStatus status = store.resume(id);
    factory.wake(id);
    return status;
  }

  @POST
  @Path("{id}/extend")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Add trials to the budget: {\"trials\": K}; a completed study runs again",
      description =
          "The schedules none, asha and mo-asha can be extended by trials; maxEpochs is refused"
              + " with the reason (a trial's learning-rate schedule spans its maxEpochs).")
  @APIResponse(responseCode = "400", description = "trials or maxEpochs cannot be so")
  @APIResponse(responseCode = "404", description = "unknown study")
  @APIResponse(responseCode = "409", description = "the study is cancelled or failed")
  public StudyStatus extend(@PathParam("id") String id, ExtendStudy body) {
    StudyStatus status = store.extend(id, body);
    factory.wake(id);
    return status;
  }

  @POST
  @Path("{id}/enqueue")
  @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml"})
  @Operation(
      summary = "Try these configurations first, as the next trials",
      description =
          "{\"configs\": [{...}, ...]} (or a bare list of configurations), validated against the"
              + " study's space, or {\"preset\": \"papers\"}: the papers' defaults of each variant"
              + " the space includes. They become trials before the sampler is asked and count"
              + " against budget.trials.")
  @APIResponse(responseCode = "400", description = "a configuration outside the space")
  @APIResponse(responseCode = "404", description = "unknown study")
  @APIResponse(responseCode = "409", description = "not running, or no room in the budget")
  public EnqueuedConfigs enqueue(
      @PathParam("id") String id, String body, @HeaderParam("Content-Type") String contentType) {
    if (body == null || body.isBlank()) {
      throw new ValidationException("configs", "a list of configurations or a preset is required");
    }
    boolean yaml = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("yaml");
    JsonNode tree =
        yaml ? Json.decodeYaml(body, JsonNode.class) : Json.decode(body, JsonNode.class);
    EnqueueConfigs request;
    if (tree != null && tree.isArray()) {
      request = new EnqueueConfigs(Json.mapper().convertValue(tree, CONFIG_LIST), null);
    } else if (tree != null && tree.isObject()) {
      request = Json.decode(tree.toString(), EnqueueConfigs.class);
    } else {
      throw new ValidationException(
          "configs", "must be a list of configurations or an object with configs or preset");
    }
    EnqueuedConfigs answer = store.enqueue(id, request);
    factory.wake(id);
    return answer;
  }

  private static final TypeReference<List<Map<String, Object>>> CONFIG_LIST =
      new TypeReference<>() {};
}
