package io.sharpsweep.service.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A bearer token presented to a service, for {@link SharedTokenIdentityProvider} alone (its own
 * type, so that an OIDC provider added to a service never receives it).
 */
public final class SharedTokenRequest extends BaseAuthenticationRequest {
  private final String token;

  public SharedTokenRequest(String token) {
    this.token = token;
  }

  String token() {
    return token;
  }

  @Override
  public String toString() {
    return "SharedTokenRequest";
  }
}
