package io.sharpsweep.service.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * An HTTP security policy that the services' {@code quarkus.http.auth.permission.*.policy} rules
 * name: it permits any authenticated identity and, while the rule is off (no token configured),
 * everybody. A denied anonymous request gets the mechanism's 401 naming the rule.
 */
abstract class TokenPolicy implements HttpSecurityPolicy {
  /** Whether the rule is on: the request needs an authenticated identity. */
  abstract boolean active();

  /** What the 401 says about the rule. */
  abstract String rule();

  @Override
  public Uni<CheckResult> checkPermission(
      RoutingContext request,
      Uni<SecurityIdentity> identity,
      AuthorizationRequestContext requestContext) {
    if (!active()) {
      return CheckResult.permit();
    }
    return identity.map(
        id -> {
          if (id != null && !id.isAnonymous()) {
            return CheckResult.PERMIT;
          }
          request.put(
              BearerTokenMechanism.DENIED_BY,
              request.request().method()
                  + " "
                  + request.normalizedPath()
                  + " needs a bearer token (rule "
                  + name()
                  + ": "
                  + rule()
                  + ")");
          return CheckResult.DENY;
        });
  }
}
