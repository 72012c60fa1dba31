package io.sharpsweep.scheduler.api;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.scheduler.study.UnknownStudyException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every client error is a JSON body {@code {"errors": [{"field", "message"}]}}. */
public class ErrorMappers {
  @ServerExceptionMapper
  public Response invalid(ValidationException e) {
    return Response.status(400)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ErrorResponse(e.errors()))
        .build();
  }

  @ServerExceptionMapper
  public Response malformed(MalformedRecordException e) {
    return Response.status(400)
        .type(MediaType.APPLICATION_JSON)
        .entity(ErrorResponse.of(e.field(), e.getMessage()))
        .build();
  }

  @ServerExceptionMapper
  public Response unknown(UnknownStudyException e) {
    return Response.status(404)
        .type(MediaType.APPLICATION_JSON)
        .entity(ErrorResponse.of("id", e.getMessage()))
        .build();
  }
}
