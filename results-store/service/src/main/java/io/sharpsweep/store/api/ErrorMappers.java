package io.sharpsweep.store.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.service.http.HttpRefusals;
import io.sharpsweep.store.query.UnknownStudyException;
import io.sharpsweep.store.query.UnknownTrialException;
import io.sharpsweep.store.service.ConflictException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
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

  /**
   * A body of the wrong JSON type ({@code "epoch": "abc"}): 400 naming the field Jackson reached.
   */
  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e) {
    return error(Response.Status.BAD_REQUEST, unreadable(e));
  }

  /**
   * Bodies Jackson refuses outside a mapping, e.g. nesting deeper than its limit of 1000 ({@code
   * StreamConstraintsException}), which would otherwise be a 500.
   */
  @ServerExceptionMapper
  public Response unreadableBody(JsonProcessingException e) {
    return error(Response.Status.BAD_REQUEST, unreadable(e));
  }

  /**
   * Quarkus's JSON reader wraps syntax errors and failed constructors in a 400 {@link
   * WebApplicationException}; that and the HTTP layer's refusals (404, 405, 406, 415) get the
   * errors body, keeping their status.
   */
  @ServerExceptionMapper
  public Response web(
      WebApplicationException e, HttpHeaders headers, Request request, UriInfo uri) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return error(Response.Status.BAD_REQUEST, unreadable(json));
    }
    return HttpRefusals.answer(e, headers, request, uri);
  }

  /** The field Jackson reached ({@code params[0].x}), else {@code body}, and what went wrong. */
  static ErrorResponse unreadable(JsonProcessingException e) {
    String path = Json.pathOf(e);
    String reason = e.getOriginalMessage() == null ? "unreadable input" : e.getOriginalMessage();
    int nl = reason.indexOf('\n');
    reason = nl < 0 ? reason : reason.substring(0, nl);
    if (reason.length() > 300) {
      reason = reason.substring(0, 300) + "…";
    }
    String kind = e instanceof StreamReadException ? "malformed JSON: " : "cannot read the body: ";
    return ErrorResponse.of(path.isEmpty() ? "body" : path, kind + reason);
  }

  private static Response error(Response.Status status, ErrorResponse body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }
}
