package io.sharpsweep.service.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Quarkus test profile with the shared bearer token in a fresh file ({@code
 * sharpsweep.auth.token-file}), for the services' access tests. A service's profile is a subclass
 * with a no-argument constructor naming its token and what else it sets.
 */
public abstract class TokenFileProfile implements QuarkusTestProfile {
  private final String token;
  private final Map<String, String> more;

  /**
   * @param token the token the file holds
   * @param more further configuration of the profile
   */
  protected TokenFileProfile(String token, Map<String, String> more) {
    this.token = token;
    this.more = Map.copyOf(more);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    try {
      Path f = Files.createTempFile("sharpsweep-token", "");
      f.toFile().deleteOnExit();
      Files.writeString(f, token + "\n");
      Map<String, String> all = new HashMap<>(more);
      all.put("sharpsweep.auth.token-file", f.toString());
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
