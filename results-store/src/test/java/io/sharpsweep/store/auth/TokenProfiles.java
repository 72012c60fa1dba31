package io.sharpsweep.store.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Test profiles with a bearer token in a file ({@code sharpsweep.auth.token-file}), on their own H2
 * directory so that they never clean the database of the other test classes.
 */
public final class TokenProfiles {
  public static final String TOKEN = "store-test-token-0123456789";

  private TokenProfiles() {}

  static Map<String, String> tokenFile(Map<String, String> more) {
    try {
      Path f = Files.createTempFile("sharpsweep-token", "");
      f.toFile().deleteOnExit();
      Files.writeString(f, TOKEN + "\n");
      Map<String, String> all = new HashMap<>(more);
      all.put("sharpsweep.auth.token-file", f.toString());
      all.put("sharpsweep.store.data-dir", "./target/store-auth-test-data");
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A token; reads open (the default). */
  public static class WithToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return tokenFile(Map.of());
    }
  }

  /** A token and {@code sharpsweep.auth.protect-reads=true}. */
  public static class WithProtectedReads implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return tokenFile(Map.of("sharpsweep.auth.protect-reads", "true"));
    }
  }
}
