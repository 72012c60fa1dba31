package io.sharpsweep.protocol;

import java.util.Locale;

/**
 * The error body of the HTTP-level refusals every service answers the same way (no such path, a
 * method or a content type the path does not take, a body above the size limit), so that they carry
 * {@code {"errors": [{"field", "message"}]}} like the refusals of the services' own rules.
 */
public final class HttpErrors {
  private HttpErrors() {}

  /**
   * The body of a 4xx that the HTTP layer decided.
   *
   * @param status the status code
   * @param method the request's method
   * @param path the request's path
   * @param contentType the request's {@code Content-Type}, or null
   * @param accept the request's {@code Accept}, or null
   * @param allow the methods the path takes ({@code Allow}), or null
   * @param detail the framework's own message, used for statuses not named here
   */
  public static ErrorResponse of(
      int status,
      String method,
      String path,
      String contentType,
      String accept,
      String allow,
      String detail) {
    return switch (status) {
      case 404 -> ErrorResponse.of("path", "no resource at " + method + " " + path);
      case 405 ->
          ErrorResponse.of(
              "method",
              method
                  + " is not allowed on "
                  + path
                  + (allow == null || allow.isBlank() ? "" : "; allowed: " + allow));
      case 406 ->
          ErrorResponse.of(
              "Accept",
              "cannot answer in "
                  + (accept == null ? "the requested type" : "'" + accept + "'")
                  + "; this endpoint answers application/json");
      case 413 -> bodyTooLarge(-1, -1);
      case 415 ->
          ErrorResponse.of(
              "Content-Type",
              (contentType == null || contentType.isBlank()
                      ? "is required"
                      : "'" + contentType + "' is not accepted")
                  + " on "
                  + method
                  + " "
                  + path
                  + " (send application/json"
                  + (path != null
                          && path.toLowerCase(Locale.ROOT).endsWith("/v1/studies")
                          && "POST".equals(method)
                      ? " or application/yaml"
                      : "")
                  + ")");
      default ->
          ErrorResponse.of(
              "request",
              detail == null || detail.isBlank() ? "refused with HTTP " + status : detail);
    };
  }

  /**
   * The 413 body: a request body above {@code quarkus.http.limits.max-body-size}.
   *
   * @param length the body's declared length, or -1 when unknown
   * @param limit the limit in bytes, or -1 when unknown
   */
  public static ErrorResponse bodyTooLarge(long length, long limit) {
    return ErrorResponse.of(
        "body",
        "is too large"
            + (length >= 0 ? " (" + length + " bytes)" : "")
            + ": at most "
            + (limit >= 0 ? limit + " bytes" : "quarkus.http.limits.max-body-size")
            + " are accepted (quarkus.http.limits.max-body-size)");
  }
}
