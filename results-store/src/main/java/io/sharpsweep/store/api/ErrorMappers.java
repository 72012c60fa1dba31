package io.sharpsweep.store.api;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.store.query.UnknownStudyException;
import io.sharpsweep.store.query.UnknownTrialException;
import io.sharpsweep.store.service.ConflictException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns the store's exceptions into the project's error body {@code {"errors": [{"field",
 * "message"}]}}.
 */
public class ErrorMappers {
  @ServerExceptionMapper
  public Response unknownStudy(UnknownStudyException e) {
    return error(Response.Status.NOT_FOUND, ErrorResponse.of("id", e.getMessage()));
  }

  @ServerExceptionMapper
  public Response unknownTrial(UnknownTrialException e) {
    return error(Response.Status.NOT_FOUND, ErrorResponse.of("tid", e.getMessage()));
  }

  @ServerExceptionMapper
  public Response invalid(ValidationException e) {
    return error(Response.Status.BAD_REQUEST, new ErrorResponse(e.errors()));
  }

  @ServerExceptionMapper
  public Response conflict(ConflictException e) {
    return error(Response.Status.CONFLICT, ErrorResponse.of(e.field(), e.getMessage()));
  }

  private static Response error(Response.Status status, ErrorResponse body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }
}
