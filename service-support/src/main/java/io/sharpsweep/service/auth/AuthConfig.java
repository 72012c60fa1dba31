package io.sharpsweep.service.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code sharpsweep.auth.*}: the shared bearer token of every service ({@code docs/security.md}).
 */
@ConfigMapping(prefix = "sharpsweep.auth")
public interface AuthConfig {
  /**
   * The file holding the bearer token (a Kubernetes Secret mounted as a file, or a local file
   * readable by the service's user only). Unset: no token, every endpoint open.
   */
  Optional<Path> tokenFile();

  /**
   * When a token is configured, whether reads of study data ({@code GET /v1/...}) need it too. Off
   * by default: only mutating and compute-spending endpoints need it.
   */
  @WithDefault("false")
  boolean protectReads();
}
