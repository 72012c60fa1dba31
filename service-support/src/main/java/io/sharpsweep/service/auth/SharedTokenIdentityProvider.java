package io.sharpsweep.service.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns a presented bearer token into an identity when it is the service's token ({@link
 * ServiceToken#matches}, constant time); any other token fails the authentication (401).
 */
@ApplicationScoped
public class SharedTokenIdentityProvider implements IdentityProvider<SharedTokenRequest> {
  /** The principal and the one role of a caller that presented the shared token. */
  public static final String CLIENT = "sharpsweep-client";

  @Inject ServiceToken token;

  @Override
  public Class<SharedTokenRequest> getRequestType() {
    return SharedTokenRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      SharedTokenRequest request, AuthenticationRequestContext context) {
    if (!token.matches(request.token())) {
      return Uni.createFrom()
          .failure(new AuthenticationFailedException("the bearer token is not this service's"));
    }
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(CLIENT))
                .addRole(CLIENT)
                .build());
  }
}
