package io.sharpsweep.scheduler;

import io.sharpsweep.service.auth.TokenFileProfile;
import java.util.Map;

/** Test profiles with a bearer token in a file ({@code sharpsweep.auth.token-file}). */
public final class TokenProfiles {
  public static final String TOKEN = "scheduler-test-token-0123456789";

  private TokenProfiles() {}

  /** A token; reads open (the default). */
  public static class WithToken extends TokenFileProfile {
    public WithToken() {
      super(TOKEN, Map.of());
    }
  }

  /** A token and {@code sharpsweep.auth.protect-reads=true}. */
  public static class WithProtectedReads extends TokenFileProfile {
    public WithProtectedReads() {
      super(TOKEN, Map.of("sharpsweep.auth.protect-reads", "true"));
    }
  }
}
