package io.sharpsweep.scheduler.api;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.scheduler.control.ControlException;
import io.sharpsweep.scheduler.control.StoreUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
    return json(400, new ErrorResponse(e.errors()));
  }

  @ServerExceptionMapper
  public Response malformed(MalformedRecordException e) {
    return json(400, ErrorResponse.of(e.field(), e.getMessage()));
  }

  @ServerExceptionMapper
  public Response control(ControlException e) {
    String field = e.status() == 404 ? "id" : "";
    return json(e.status(), e.errorsOr(field));
  }

  @ServerExceptionMapper
  public Response storeUnavailable(StoreUnavailableException e) {
    LOG.warn(e.getMessage());
    return json(503, ErrorResponse.of("store", e.getMessage()));
  }

  private static Response json(int status, ErrorResponse body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }
}
