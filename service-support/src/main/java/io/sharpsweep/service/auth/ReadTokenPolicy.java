package io.sharpsweep.service.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * {@code sharpsweep-read-token}: reads of study data need the token only when one is configured and
 * {@code sharpsweep.auth.protect-reads=true}.
 */
@Singleton
public class ReadTokenPolicy extends TokenPolicy {
  public static final String NAME = "sharpsweep-read-token";

  @Inject ServiceToken token;
  @Inject AuthConfig config;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  boolean active() {
    return token.configured() && config.protectReads();
  }

  @Override
  String rule() {
    return "sharpsweep.auth.protect-reads=true: reads of study data need the token too";
  }
}
