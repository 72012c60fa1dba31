package io.sharpsweep.store.api;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.store.query.BestAnswer;
import io.sharpsweep.store.query.Curve;
import io.sharpsweep.store.query.StudyDetail;
import io.sharpsweep.store.query.StudyQueries;
import io.sharpsweep.store.query.StudySummary;
import io.sharpsweep.store.query.TrialView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Read-only REST view of the store: studies, trials with their epochs, learning curves, best trials. */
@Path("/v1/studies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "studies", description = "What the store knows about studies and their trials")
public class StudyResource {
  private final StudyQueries queries;

  @Inject
  StudyResource(StudyQueries queries) {
    this.queries = queries;
  }

  @GET
  @Operation(summary = "Every study, newest first, with its trial counts and the best value of its first objective")
  public List<StudySummary> list() {
    return queries.list();
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One study: its spec, state and trial counts")
  @APIResponse(responseCode = "200", description = "the study")
  @APIResponse(responseCode = "404", description = "unknown study", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public StudyDetail get(@PathParam("id") String id) {
    return queries.get(id);
  }

  @GET
  @Path("/{id}/trials")
  @Operation(summary = "The trials of a study with their parameters, configuration, state and every stored epoch report")
  @APIResponse(responseCode = "200", description = "the trials, by number")
  @APIResponse(responseCode = "404", description = "unknown study", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public List<TrialView> trials(@PathParam("id") String id) {
    return queries.trials(id);
  }

  @GET
  @Path("/{id}/trials/{tid}")
  @Operation(summary = "One trial with every stored epoch report")
  @APIResponse(responseCode = "200", description = "the trial")
  @APIResponse(responseCode = "404", description = "unknown study or trial", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public TrialView trial(@PathParam("id") String id, @PathParam("tid") String tid) {
    return queries.trial(id, tid);
  }

  @GET
  @Path("/{id}/trials/{tid}/curve")
  @Operation(summary = "A trial's learning curve: one point per epoch (from the latest attempt that reported it)")
  @APIResponse(responseCode = "200", description = "the curve")
  @APIResponse(responseCode = "404", description = "unknown study or trial", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public Curve curve(@PathParam("id") String id, @PathParam("tid") String tid) {
    return queries.curve(id, tid);
  }

  @GET
  @Path("/{id}/best")
  @Operation(
      summary = "The best completed trial for an objective",
      description =
          "A trial's value is the objective's metric in the report of its last epoch. Without objective, the study's first"
              + " objective; without goal, the study's goal for that metric or its natural direction. While no completed trial"
              + " has a value, 200 with best=null and a reason.")
  @APIResponse(responseCode = "200", description = "the best trial, or best=null with a reason")
  @APIResponse(responseCode = "400", description = "unknown objective or goal", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  @APIResponse(responseCode = "404", description = "unknown study", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public BestAnswer best(
      @PathParam("id") String id,
      @Parameter(description = "val_accuracy, val_loss, train_loss, test_accuracy, sgd_epoch_equivalents or wall_seconds")
          @QueryParam("objective")
          String objective,
      @Parameter(description = "maximize or minimize") @QueryParam("goal") String goal) {
    return queries.best(id, objective, goal);
  }
}
