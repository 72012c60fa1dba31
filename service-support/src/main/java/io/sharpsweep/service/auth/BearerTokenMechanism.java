package io.sharpsweep.service.auth;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.Json;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Set;

/**
 * {@code Authorization: Bearer <token>} for every service. A request without that header is
 * anonymous (the permission rules decide whether that is enough); a request with it is
 * authenticated by {@link SharedTokenIdentityProvider} or refused. When no token is configured the
 * mechanism authenticates nobody and every rule permits (the local demo).
 *
 * <p>A refusal is {@code 401} with {@code WWW-Authenticate: Bearer} and the services' error body,
 * {@code {"errors": [{"field": "Authorization", "message": ...}]}}, whose message names the rule.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {
  /** Routing-context key under which a denying {@link TokenPolicy} leaves the rule's message. */
  static final String DENIED_BY = "sharpsweep.auth.denied-by";

  private static final String PREFIX = "bearer ";
  private static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  @Inject ServiceToken token;

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String presented = token.configured() ? presented(context) : null;
    if (presented == null) {
      return Uni.createFrom().nullItem();
    }
    return identityProviderManager.authenticate(
        HttpSecurityUtils.setRoutingContextAttribute(new SharedTokenRequest(presented), context));
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, WWW_AUTHENTICATE, "Bearer"));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(SharedTokenRequest.class);
  }

  @Override
  public Uni<Boolean> sendChallenge(RoutingContext context) {
    HttpServerResponse response = context.response();
    if (response.ended() || response.headWritten()) {
      return Uni.createFrom().item(true);
    }
    String rule = context.get(DENIED_BY);
    boolean invalid = rule == null && presented(context) != null;
    String message;
    if (rule != null) {
      message = rule;
    } else if (invalid) {
      message =
          "the bearer token is not valid for this service (rule: a presented token must be"
              + " the one of "
              + token.source().orElse("sharpsweep.auth.token-file")
              + ")";
    } else {
      message = "a bearer token is required (Authorization: Bearer <token>)";
    }
    byte[] body = Json.encode(ErrorResponse.of("Authorization", message));
    response
        .setStatusCode(401)
        .putHeader(WWW_AUTHENTICATE, invalid ? "Bearer error=\"invalid_token\"" : "Bearer")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    return Uni.createFrom()
        .completionStage(response.end(Buffer.buffer(body)).toCompletionStage())
        .replaceWith(true);
  }

  /** The token of an {@code Authorization: Bearer} header, or null. */
  static String presented(RoutingContext context) {
    String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() <= PREFIX.length()) {
      return null;
    }
    if (!header.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
      return null;
    }
    String t = header.substring(PREFIX.length()).strip();
    return t.isEmpty() ? null : t;
  }
}
