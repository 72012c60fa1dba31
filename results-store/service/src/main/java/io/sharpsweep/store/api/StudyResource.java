package io.sharpsweep.store.api;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.api.BestAnswer;
import io.sharpsweep.protocol.api.Curve;
import io.sharpsweep.protocol.api.ExportRow;
import io.sharpsweep.protocol.api.ImportanceAnswer;
import io.sharpsweep.protocol.api.ParetoAnswer;
import io.sharpsweep.protocol.api.RungsAnswer;
import io.sharpsweep.protocol.api.StudyDetail;
import io.sharpsweep.protocol.api.StudySummary;
import io.sharpsweep.protocol.api.TrialPage;
import io.sharpsweep.protocol.api.TrialView;
import io.sharpsweep.protocol.api.VariantsAnswer;
import io.sharpsweep.store.query.AnalysisQuery;
import io.sharpsweep.store.query.ExportQuery;
import io.sharpsweep.store.query.ParetoQuery;
import io.sharpsweep.store.query.RungQuery;
import io.sharpsweep.store.query.StudyQueries;
import io.sharpsweep.store.query.TrialPaging;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Read-only REST view of the store: studies, trials with their epochs, learning curves, best trials
 * (under a cost cap), the Pareto front, rung occupancy, exports, parameter importances and the
 * variants report.
 */
@Path("/v1/studies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "studies", description = "What the store knows about studies and their trials")
public class StudyResource {
  private final StudyQueries queries;
  private final ParetoQuery pareto;
  private final RungQuery rungs;
  private final ExportQuery export;
  private final AnalysisQuery analysis;

  @Inject
  StudyResource(
      StudyQueries queries,
      ParetoQuery pareto,
      RungQuery rungs,
      ExportQuery export,
      AnalysisQuery analysis) {
    this.queries = queries;
    this.pareto = pareto;
    this.rungs = rungs;
    this.export = export;
    this.analysis = analysis;
  }

  @GET
  @Operation(
      summary =
          "Every study, newest first, with its trial counts and the best value of its first objective")
  public List<StudySummary> list() {
    return queries.list();
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One study: its spec, state and trial counts")
  @APIResponse(responseCode = "200", description = "the study")
  @APIResponse(
      responseCode = "404",
      description = "unknown study",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public StudyDetail get(@PathParam("id") String id) {
    return queries.get(id);
  }

  @GET
  @Path("/{id}/trials")
  @Operation(
      summary =
          "A page of the trials of a study with their parameters, configuration, state and stored epoch reports",
      description =
          "Trials come by number (then id). A page holds at most limit trials (default "
              + TrialPaging.DEFAULT_LIMIT
              + ", at most "
              + TrialPaging.MAX_LIMIT
              + "). When more follow, the answer carries a Link header with rel=\"next\" whose URL asks for the"
              + " next page (after=<id of this page's last trial>, the other parameters kept); the last page has"
              + " none. X-Total-Count is the number of trials matching state. Pages are keyset pages: trials"
              + " created while a client walks them appear in a later page, none is seen twice.")
  @APIResponse(
      responseCode = "200",
      description = "the trials of the page, by number",
      headers = {
        @Header(
            name = "Link",
            description = "<url>; rel=\"next\" while another page follows",
            schema = @Schema(type = SchemaType.STRING)),
        @Header(
            name = "X-Total-Count",
            description = "trials matching the filter, all pages together",
            schema = @Schema(type = SchemaType.INTEGER))
      },
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TrialView.class, type = SchemaType.ARRAY)))
  @APIResponse(
      responseCode = "400",
      description =
          "limit not an integer from 1 to "
              + TrialPaging.MAX_LIMIT
              + ", after not a trial of the study, unknown state or epochs",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "unknown study",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public Response trials(
      @PathParam("id") String id,
      @Parameter(
              description =
                  "trials per page, 1 to "
                      + TrialPaging.MAX_LIMIT
                      + " (default "
                      + TrialPaging.DEFAULT_LIMIT
                      + ")")
          @QueryParam("limit")
          String limit,
      @Parameter(description = "the id of the last trial of the previous page") @QueryParam("after")
          String after,
      @Parameter(description = "only trials in this state: running, parked, completed or failed")
          @QueryParam("state")
          String state,
      @Parameter(
              description =
                  "which epoch reports each trial carries: all (default), last (the one its values are read"
                      + " from: its current attempt's last epoch) or none")
          @QueryParam("epochs")
          String epochs,
      @Context UriInfo uri) {
    TrialPaging paging = TrialPaging.parse(limit, after, state, epochs);
    TrialPage page = queries.trials(id, paging);
    Response.ResponseBuilder ok =
        Response.ok(page.trials(), MediaType.APPLICATION_JSON)
            .header("X-Total-Count", page.total());
    if (page.nextAfter() != null) {
      URI next =
          uri.getRequestUriBuilder()
              .replaceQueryParam("after", page.nextAfter())
              .replaceQueryParam("limit", paging.limit())
              .build();
      ok.link(next, "next");
    }
    return ok.build();
  }

  @GET
  @Path("/{id}/trials/{tid}")
  @Operation(summary = "One trial with every stored epoch report")
  @APIResponse(responseCode = "200", description = "the trial")
  @APIResponse(
      responseCode = "404",
      description = "unknown study or trial",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public TrialView trial(@PathParam("id") String id, @PathParam("tid") String tid) {
    return queries.trial(id, tid);
  }

  @GET
  @Path("/{id}/trials/{tid}/curve")
  @Operation(
      summary =
          "A trial's learning curve: one point per epoch (from the latest attempt that reported it)")
  @APIResponse(responseCode = "200", description = "the curve")
  @APIResponse(
      responseCode = "400",
      description = "after not a non-negative integer",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "unknown study or trial",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public Curve curve(
      @PathParam("id") String id,
      @PathParam("tid") String tid,
      @Parameter(
              description =
                  "only the epochs after this one (default 0: the whole curve); a live view that"
                      + " holds the points up to epoch E asks for after=E")
          @QueryParam("after")
          String after) {
    return queries.curve(id, tid, afterEpoch(after));
  }

  private static int afterEpoch(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "after", "must be a non-negative integer (an epoch), got '" + value + "'");
    }
    if (n < 0) {
      throw new ValidationException("after", "must be a non-negative integer (an epoch), got " + n);
    }
    return n;
  }

  @GET
  @Path("/{id}/best")
  @Operation(
      summary = "The best completed trial for an objective, optionally under a cost cap",
      description =
          "A trial's value is the objective's metric in the report of its last epoch. Without objective, the study's first"
              + " objective; without goal, the study's goal for that metric or its natural direction. With maxCost, only"
              + " completed trials whose total sgd_epoch_equivalents is at most maxCost count. While no such trial has a"
              + " value, 200 with best=null and a reason.")
  @APIResponse(responseCode = "200", description = "the best trial, or best=null with a reason")
  @APIResponse(
      responseCode = "400",
      description = "unknown objective or goal, or maxCost not a non-negative number",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "unknown study",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public BestAnswer best(
      @PathParam("id") String id,
      @Parameter(
              description =
                  "val_accuracy, val_loss, train_loss, test_accuracy, sgd_epoch_equivalents or wall_seconds")
          @QueryParam("objective")
          String objective,
      @Parameter(description = "maximize or minimize") @QueryParam("goal") String goal,
      @Parameter(description = "cost cap: total sgd_epoch_equivalents of a trial, a number >= 0")
          @QueryParam("maxCost")
          String maxCost) {
    return queries.best(id, objective, goal, maxCost);
  }

  @GET
  @Path("/{id}/pareto")
  @Operation(
      summary = "The Pareto front of two metrics, with its 2-D hypervolume",
      description =
          "Candidates are the completed trials at their last epoch; while none has completed, the trials at the highest"
              + " rung reached. x and y default to the study's two objectives (a one-objective study: its objective and"
              + " sgd_epoch_equivalents). Goals follow the study, else the metric's natural direction. The hypervolume is the"
              + " area the front dominates up to the reference point: refX/refY when given, else per metric the worst"
              + " candidate value moved a tenth of the candidates' range away from the front (1 when the range is 0).")
  @APIResponse(responseCode = "200", description = "the front, sorted by x, and its hypervolume")
  @APIResponse(
      responseCode = "400",
      description = "unknown metric, x equal to y, or a reference coordinate that is not a number",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "unknown study",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public ParetoAnswer pareto(
      @PathParam("id") String id,
      @Parameter(description = "metric on the x axis, e.g. sgd_epoch_equivalents") @QueryParam("x")
          String x,
      @Parameter(description = "metric on the y axis, e.g. val_accuracy") @QueryParam("y") String y,
      @Parameter(description = "reference point, x coordinate (with refY)") @QueryParam("refX")
          String refX,
      @Parameter(description = "reference point, y coordinate (with refX)") @QueryParam("refY")
          String refY) {
    return pareto.front(id, x, y, refX, refY);
  }

  @GET
  @Path("/{id}/rungs")
  @Operation(
      summary = "Occupancy of the study's rungs and brackets",
      description =
          "Per rung: trials that arrived with a result, promoted from it, parked at it, completed at it (last rung), failed"
              + " on the way to it, and running towards it now; per bracket: its s, first rung, trial numbers and trials so far.")
  @APIResponse(
      responseCode = "200",
      description = "the rungs (empty, with a reason, while the store has no spec)")
  @APIResponse(
      responseCode = "404",
      description = "unknown study",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public RungsAnswer rungs(@PathParam("id") String id) {
    return rungs.occupancy(id);
  }

  @GET
  @Path("/{id}/export")
  @Produces({MediaType.APPLICATION_JSON, "text/csv"})
  @Operation(
      summary = "One row per trial: parameters, state, rung, last metrics and cost",
      description =
          "format=json (default) answers a JSON array; format=csv answers text/csv with one param.<name> column per"
              + " parameter. Metrics and cost are the trial's at its last reported epoch.")
  @APIResponse(
      responseCode = "200",
      description = "the rows",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ExportRow.class, type = SchemaType.ARRAY)),
        @Content(mediaType = "text/csv")
      })
  @APIResponse(
      responseCode = "400",
      description = "unknown format",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "unknown study",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public Response export(
      @PathParam("id") String id,
      @Parameter(description = "json or csv") @QueryParam("format") String format) {
    String f = ExportQuery.format(format);
    List<ExportRow> rows = export.rows(id);
    if (f.equals("csv")) {
      return Response.ok(ExportQuery.csv(rows), "text/csv")
          .header("Content-Disposition", "attachment; filename=\"" + id + ".csv\"")
          .build();
    }
    return Response.ok(rows, MediaType.APPLICATION_JSON).build();
  }

  @GET
  @Path("/{id}/importance")
  @Operation(
      summary = "How much of the objective's variance each parameter explains (fANOVA)",
      description =
          "fANOVA on a random forest (64 trees, depth 64, min split 2, min leaf 1, bootstrapped with the study's seed)"
              + " fitted to the completed trials at their last epoch, over the study's search space (log parameters in"
              + " log space, categorical ones split by choice). Parameters every trial sets share 1 over all trials; a"
              + " conditional parameter's importance is among the parameters set by every trial that sets it, over"
              + " those trials (its condition and trial count are given). With fewer than 5 completed trials with a"
              + " value, 200 with an empty list and a reason.")
  @APIResponse(
      responseCode = "200",
      description = "the importances, or an empty list with a reason")
  @APIResponse(
      responseCode = "400",
      description = "unknown objective",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  @APIResponse(
      responseCode = "404",
      description = "unknown study",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public ImportanceAnswer importance(
      @PathParam("id") String id,
      @Parameter(
              description =
                  "the metric whose variance is explained (default: the study's first objective)")
          @QueryParam("objective")
          String objective) {
    return analysis.importance(id, objective);
  }

  @GET
  @Path("/{id}/variants")
  @Operation(
      summary =
          "Per optimizer variant: its accuracy and cost against SGD's at equal and at any cost",
      description =
          "From the completed trials at their last epoch: per variant the spread of val_accuracy (count, mean, std,"
              + " quartiles), the best trial and its sgd_epoch_equivalents, SGD's best trial costing at most as much,"
              + " SGD's best at any cost, and the accuracy gained per extra SGD-epoch equivalent. Without SGD trials the"
              + " comparisons are absent and reason says so.")
  @APIResponse(responseCode = "200", description = "the report")
  @APIResponse(
      responseCode = "404",
      description = "unknown study",
      content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
  public VariantsAnswer variants(@PathParam("id") String id) {
    return analysis.variants(id);
  }
}
