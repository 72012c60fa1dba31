package io.sharpsweep.store.api;

import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.control.ControlPaths;
import io.sharpsweep.protocol.control.Heartbeat;
import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.protocol.control.LeaseEnd;
import io.sharpsweep.protocol.control.LeaseRenewal;
import io.sharpsweep.protocol.control.LeaseRequest;
import io.sharpsweep.store.service.LeaseDesk;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The workers' side of the control plane ({@link ControlPaths#LEASES}). The long poll is
 * asynchronous: a waiting request holds no thread ({@link LeaseDesk#acquire}), and one whose client
 * disconnects leaves the line; so does the next lease a {@code complete} may ask for. Heartbeats
 * and lease ends are blocking calls on worker threads.
 */
@Path(ControlPaths.LEASES)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "leases", description = "Segments leased to trainer-workers")
public class LeaseResource {
  private final LeaseDesk desk;

  @Inject
  LeaseResource(LeaseDesk desk) {
    this.desk = desk;
  }

  @POST
  @Operation(summary = "Lease the next queued segment, waiting up to waitSeconds (204 if none)")
  public CompletionStage<Response> acquire(
      LeaseRequest request, @Context HttpServerResponse response) {
    CompletableFuture<Optional<Lease>> lease = desk.acquire(request);
    response.closeHandler(closed -> lease.cancel(false));
    return lease.thenApply(
        l -> l.isPresent() ? Response.ok(l.get()).build() : Response.noContent().build());
  }

  @POST
  @Blocking
  @Path("/{leaseId}/heartbeat")
  @Operation(summary = "Renew a lease (409: lost, stop training)")
  public LeaseRenewal heartbeat(@PathParam("leaseId") String leaseId, Heartbeat body) {
    return desk.heartbeat(leaseId, body);
  }

  @POST
  @Blocking
  @Path("/{leaseId}/complete")
  @Operation(
      summary =
          "The segment's reports are all acknowledged by Kafka; with nextWaitSeconds, lease the"
              + " worker's next segment in the same request (200 Lease, 204 if none)")
  public CompletionStage<Response> complete(
      @PathParam("leaseId") String leaseId,
      @QueryParam(ControlPaths.NEXT_WAIT_SECONDS) String nextWaitSeconds,
      LeaseEnd body,
      @Context HttpServerResponse response) {
    if (nextWaitSeconds == null) {
      desk.complete(leaseId, body);
      return CompletableFuture.completedFuture(Response.noContent().build());
    }
    CompletableFuture<Optional<Lease>> next =
        desk.complete(leaseId, body, seconds(nextWaitSeconds));
    response.closeHandler(closed -> next.cancel(false));
    return next.thenApply(
        l -> l.isPresent() ? Response.ok(l.get()).build() : Response.noContent().build());
  }

  private static int seconds(String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ValidationException(
          ControlPaths.NEXT_WAIT_SECONDS, "must be a whole number of seconds, got " + value);
    }
  }

  @POST
  @Blocking
  @Path("/{leaseId}/release")
  @Operation(summary = "Hand the segment back unfinished: re-queued now, no attempt charged")
  public Response release(@PathParam("leaseId") String leaseId, LeaseEnd body) {
    desk.release(leaseId, body);
    return Response.noContent().build();
  }

  @POST
  @Blocking
  @Path("/{leaseId}/fail")
  @Operation(summary = "The segment failed: charged to the trial's attempts")
  public Response fail(@PathParam("leaseId") String leaseId, LeaseEnd body) {
    desk.fail(leaseId, body);
    return Response.noContent().build();
  }
}
