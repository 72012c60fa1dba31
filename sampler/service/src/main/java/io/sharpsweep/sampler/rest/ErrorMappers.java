package io.sharpsweep.sampler.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.service.http.HttpRefusals;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every bad request ends as {@code 400 {"errors": [{"field", "message"}]}}: rule violations found
 * by validation, and bodies Jackson cannot read (malformed JSON, a string where a number belongs,
 * an unknown parameter type).
 */
public class ErrorMappers {

  @ServerExceptionMapper
  public Response invalid(ValidationException e) {
    return badRequest(e.errors());
  }

  /** Wrong JSON types; replaces Quarkus's own mapper so the body has the errors shape. */
  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e) {
    return badRequest(List.of(JsonInputErrors.toFieldError(e)));
  }

  /**
   * Bodies Jackson refuses outside a mapping, e.g. nesting deeper than its limit of 1000 ({@code
   * StreamConstraintsException}), which would otherwise be a 500.
   */
  @ServerExceptionMapper
  public Response unreadable(JsonProcessingException e) {
    return badRequest(List.of(JsonInputErrors.toFieldError(e)));
  }

  /**
   * Quarkus's JSON reader wraps syntax errors and failed constructors (e.g. {@code "type":
   * "floaty"}) in a 400 {@link WebApplicationException}; other web exceptions (404, 405, 415) keep
   * their status and get the errors body too.
   */
  @ServerExceptionMapper
  public Response web(
      WebApplicationException e, HttpHeaders headers, Request request, UriInfo uri) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return badRequest(List.of(JsonInputErrors.toFieldError(json)));
    }
    return HttpRefusals.answer(e, headers, request, uri);
  }

  private static Response badRequest(List<FieldError> errors) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorResponse(errors))
        .build();
  }
}
