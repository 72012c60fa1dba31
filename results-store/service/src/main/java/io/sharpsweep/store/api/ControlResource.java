package io.sharpsweep.store.api;

import io.sharpsweep.protocol.control.ControlPaths;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.EndStudy;
import io.sharpsweep.protocol.control.EnqueueConfigs;
import io.sharpsweep.protocol.control.EnqueuedConfigs;
import io.sharpsweep.protocol.control.ExtendStudy;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.control.QueueDepth;
import io.sharpsweep.protocol.control.StudyStatus;
import io.sharpsweep.protocol.control.SuggestContext;
import io.sharpsweep.store.control.ControlRules;
import io.sharpsweep.store.service.ControlQueries;
import io.sharpsweep.store.service.StudyControl;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The scheduler's side of the control plane ({@link ControlPaths}): studies and their trials. */
@Path("/v1/control")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "control", description = "Study lifecycle and capacity, for the scheduler")
public class ControlResource {
  private final StudyControl control;
  private final ControlQueries queries;

  @Inject
  ControlResource(StudyControl control, ControlQueries queries) {
    this.control = control;
    this.queries = queries;
  }

  @POST
  @Path("/studies")
  @Operation(summary = "Create a study (201), or answer the existing one with the same spec (200)")
  public Response create(CreateStudy request) {
    StudyControl.Created created = control.create(request);
    return Response.status(created.created() ? 201 : 200).entity(created.status()).build();
  }

  @GET
  @Path("/studies")
  @Operation(summary = "Every study's control status")
  public List<StudyStatus> list() {
    return queries.statuses();
  }

  @GET
  @Path("/studies/{id}")
  @Operation(summary = "One study's control status")
  public StudyStatus get(@PathParam("id") String id) {
    return queries.status(id);
  }

  @POST
  @Path("/studies/{id}/cancel")
  @Operation(summary = "Cancel a running study: queued segments are dropped, leased ones finish")
  public StudyStatus cancel(@PathParam("id") String id, EndStudy body) {
    return control.end(id, ControlRules.CANCELLED, reason(body, "cancelled by the user"));
  }

  @POST
  @Path("/studies/{id}/pause")
  @Operation(
      summary =
          "Pause a running study: no segment is leased and no trial created; leased segments"
              + " finish their segment; 409 unless it is running")
  public StudyStatus pause(@PathParam("id") String id) {
    return control.pause(id, true);
  }

  @POST
  @Path("/studies/{id}/resume")
  @Operation(summary = "Resume a paused study; 409 unless it is running or paused")
  public StudyStatus resume(@PathParam("id") String id) {
    return control.pause(id, false);
  }

  @POST
  @Path("/studies/{id}/extend")
  @Operation(
      summary =
          "Add trials to a running or completed study's budget (a completed one runs again);"
              + " 400 naming trials or maxEpochs when its schedule cannot be extended so")
  public StudyStatus extend(@PathParam("id") String id, ExtendStudy body) {
    return control.extend(id, body);
  }

  @POST
  @Path("/studies/{id}/enqueue")
  @Operation(
      summary =
          "Enqueue configurations (or the preset papers) as the study's next trials, before the"
              + " sampler's; they count against budget.trials")
  public EnqueuedConfigs enqueue(@PathParam("id") String id, EnqueueConfigs body) {
    return control.enqueue(id, body);
  }

  @POST
  @Path("/studies/{id}/fail")
  @Operation(summary = "Fail a running study (e.g. its sampler rejected its space)")
  public StudyStatus fail(@PathParam("id") String id, EndStudy body) {
    return control.end(id, ControlRules.FAILED, reason(body, "failed"));
  }

  @GET
  @Path("/studies/{id}/suggest-context")
  @Operation(
      summary =
          "The sampler request for the trials the study wants now; 204 if none. Enqueued"
              + " configurations are made the next trials first.")
  public Response suggestContext(@PathParam("id") String id) {
    // Enqueued configurations become trials before the sampler is asked for any.
    control.createEnqueued(id);
    Optional<SuggestContext> context = queries.suggestContext(id);
    return context.isPresent() ? Response.ok(context.get()).build() : Response.noContent().build();
  }

  @POST
  @Path("/studies/{id}/trials")
  @Operation(summary = "Create trials firstNumber, firstNumber + 1, …; 409 unless it is the next")
  public Response trials(@PathParam("id") String id, NewTrials body) {
    return Response.status(201).entity(control.addTrials(id, body)).build();
  }

  @GET
  @Path("/wanting")
  @Operation(summary = "The running studies that want new trials now")
  public List<String> wanting() {
    return queries.wanting();
  }

  @GET
  @Path("/queue")
  @Operation(summary = "Queued and leased segments, for autoscalers")
  public QueueDepth queue() {
    return queries.queue();
  }

  private static String reason(EndStudy body, String fallback) {
    return body == null || body.reason() == null || body.reason().isBlank()
        ? fallback
        : body.reason();
  }
}
