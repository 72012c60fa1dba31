package io.sharpsweep.service.http;

import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.HttpErrors;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The answer to a refusal of the HTTP layer (no such path, a method, content type or accepted type
 * the path does not take): the errors body {@code {"errors": [{"field", "message"}]}} of {@link
 * HttpErrors}, keeping the status and the {@code Allow} header. Each service's mapper of {@link
 * WebApplicationException} ends here once it has handled what is its own (a body its JSON reader
 * could not read).
 */
public final class HttpRefusals {
  private HttpRefusals() {}

  /** A 4xx of the HTTP layer in the errors shape; any other status (and 401, 403) unchanged. */
  public static Response answer(
      WebApplicationException e, HttpHeaders headers, Request request, UriInfo uri) {
    Response original = e.getResponse();
    int status = original.getStatus();
    if (status < 400 || status >= 500 || status == 401 || status == 403) {
      return original; // 401 and 403 are the auth package's, with their own body
    }
    ErrorResponse body =
        HttpErrors.of(
            status,
            request.getMethod(),
            uri.getPath(),
            headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
            headers.getHeaderString(HttpHeaders.ACCEPT),
            original.getHeaderString("Allow"),
            e.getMessage());
    Response.ResponseBuilder answer =
        Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
    if (original.getHeaderString("Allow") != null) {
      answer.header("Allow", original.getHeaderString("Allow"));
    }
    return answer.build();
  }
}
