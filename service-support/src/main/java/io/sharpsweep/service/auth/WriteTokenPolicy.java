package io.sharpsweep.service.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * {@code sharpsweep-token}: mutating and compute-spending endpoints, and the store's control plane
 * and leases, need the token whenever one is configured.
 */
@Singleton
public class WriteTokenPolicy extends TokenPolicy {
  public static final String NAME = "sharpsweep-token";

  @Inject ServiceToken token;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  boolean active() {
    return token.configured();
  }

  @Override
  String rule() {
    return "mutating, compute-spending and control-plane endpoints need the token of "
        + token.source().orElse("sharpsweep.auth.token-file");
  }
}
