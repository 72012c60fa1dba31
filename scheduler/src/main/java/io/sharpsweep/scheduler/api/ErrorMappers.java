package io.sharpsweep.scheduler.api;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.scheduler.control.ControlException;
import io.sharpsweep.scheduler.control.StoreUnavailableException;
import io.sharpsweep.service.http.HttpRefusals;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error is a JSON body {@code {"errors": [{"field", "message"}]}}. The store's 400, 404 and
 * 409 keep their status and the store's body; an unreachable store is 503 naming its URL.
 */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response invalid(ValidationException e) {
    return json(400, named(e.errors()));
  }

  @ServerExceptionMapper
  public Response malformed(MalformedRecordException e) {
    return json(400, ErrorResponse.of(e.field().isBlank() ? "body" : e.field(), e.getMessage()));
  }

  @ServerExceptionMapper
  public Response control(ControlException e) {
    String field = e.status() == 404 ? "id" : "store";
    return json(e.status(), named(e.errorsOr(field).errors()));
  }

  @ServerExceptionMapper
  public Response storeUnavailable(StoreUnavailableException e) {
    LOG.warn(e.getMessage());
    return json(503, ErrorResponse.of("store", e.getMessage()));
  }

  /**
   * The refusals of the HTTP layer (no such path, a method, content type or accepted type the path
   * does not take) in the errors shape, keeping their status and headers.
   */
  @ServerExceptionMapper
  public Response web(
      WebApplicationException e, HttpHeaders headers, Request request, UriInfo uri) {
    return HttpRefusals.answer(e, headers, request, uri);
  }

  /** Errors without a field (the body as a whole) name {@code body}. */
  private static ErrorResponse named(List<FieldError> errors) {
    return new ErrorResponse(
        errors.stream()
            .map(
                f ->
                    f.field() == null || f.field().isBlank()
                        ? new FieldError("body", f.message())
                        : f)
            .toList());
  }

  private static Response json(int status, ErrorResponse body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }
}
