package io.sharpsweep.store.auth;

import io.sharpsweep.service.auth.TokenFileProfile;
import java.util.Map;

/**
 * Test profiles with a bearer token in a file ({@code sharpsweep.auth.token-file}), on their own H2
 * directory so that they never clean the database of the other test classes.
 */
public final class TokenProfiles {
  public static final String TOKEN = "store-test-token-0123456789";
  private static final String DATA_DIR = "./target/store-auth-test-data";

  private TokenProfiles() {}

  /** A token; reads open (the default). */
  public static class WithToken extends TokenFileProfile {
    public WithToken() {
      super(TOKEN, Map.of("sharpsweep.store.data-dir", DATA_DIR));
    }
  }

  /** A token and {@code sharpsweep.auth.protect-reads=true}. */
  public static class WithProtectedReads extends TokenFileProfile {
    public WithProtectedReads() {
      super(
          TOKEN,
          Map.of("sharpsweep.store.data-dir", DATA_DIR, "sharpsweep.auth.protect-reads", "true"));
    }
  }
}
