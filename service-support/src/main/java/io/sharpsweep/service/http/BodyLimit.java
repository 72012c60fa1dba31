package io.sharpsweep.service.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.sharpsweep.protocol.HttpErrors;
import io.sharpsweep.protocol.Json;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose {@code Content-Length} is above {@code quarkus.http.limits.max-body-size}
 * with {@code 413 {"errors": [{"field": "body", ...}]}}, before its body is read. It runs just
 * ahead of Quarkus's own check of the same limit, which answers 413 with an empty body; a chunked
 * body without a length that grows past the limit still meets that check.
 */
@ApplicationScoped
public class BodyLimit {
  @ConfigProperty(name = "quarkus.http.limits.max-body-size")
  MemorySize maxBodySize;

  void install(@Observes Router router) {
    long limit = maxBodySize.asLongValue();
    router
        .route()
        .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
        .handler(
            ctx -> {
              String header = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
              long length = -1;
              if (header != null) {
                try {
                  length = Long.parseLong(header.trim());
                } catch (NumberFormatException e) {
                  length = -1;
                }
              }
              if (length > limit) {
                ctx.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(Json.encodeToString(HttpErrors.bodyTooLarge(length, limit)));
                return;
              }
              ctx.next();
            });
  }
}
