package io.sharpsweep.service.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The service's shared bearer token: read once at start from {@code sharpsweep.auth.token-file}
 * (or, deprecated, from {@code sharpsweep.api-token}). It checks a presented token ({@link
 * #matches}) and gives it to the service's own clients ({@link #value}). The token never appears in
 * a log line, an exception message or {@link #toString()}.
 *
 * <p>A configured file that cannot be read, or is empty, stops the service at start: a typo in the
 * path must not leave the endpoints open.
 */
@Singleton
public class ServiceToken {
  private static final Logger LOG = Logger.getLogger(ServiceToken.class);

  private final String value;
  private final byte[] digest;
  private final String source;

  @Inject
  ServiceToken(
      AuthConfig config,
      @ConfigProperty(name = "sharpsweep.api-token") Optional<String> deprecatedValue) {
    this(config.tokenFile(), deprecatedValue);
  }

  /**
   * @param file the token file, when configured (wins over {@code deprecatedValue})
   * @param deprecatedValue the value of {@code sharpsweep.api-token}
   */
  public ServiceToken(Optional<Path> file, Optional<String> deprecatedValue) {
    if (file.isPresent()) {
      this.value = read(file.get());
      this.source = "sharpsweep.auth.token-file";
      LOG.infof("bearer token required on protected endpoints (from %s)", file.get());
    } else if (deprecatedValue.isPresent() && !deprecatedValue.get().isBlank()) {
      this.value = deprecatedValue.get().strip();
      this.source = "sharpsweep.api-token";
      LOG.warn(
          "sharpsweep.api-token is deprecated: put the token in a file and set"
              + " sharpsweep.auth.token-file");
    } else {
      this.value = null;
      this.source = null;
    }
    this.digest = value == null ? null : sha256(value);
  }

  /** Whether a token is configured: the protected endpoints need it and the clients send it. */
  public boolean configured() {
    return value != null;
  }

  /** The configuration key the token came from, for messages; empty when none is configured. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  /** The token for this service's own calls to the other services. */
  public Optional<String> value() {
    return Optional.ofNullable(value);
  }

  /**
   * Whether {@code presented} is the token, in time independent of where they differ: both are
   * hashed to SHA-256 digests of equal length, compared with {@link MessageDigest#isEqual}.
   */
  public boolean matches(String presented) {
    if (digest == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(presented));
  }

  /** The token in {@code file}, without surrounding white space (a trailing newline). */
  public static String read(Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException(
          "sharpsweep.auth.token-file: cannot read "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
    if (token.isEmpty()) {
      throw new IllegalStateException("sharpsweep.auth.token-file: " + file + " is empty");
    }
    return token;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return configured() ? "ServiceToken[from " + source + "]" : "ServiceToken[none]";
  }
}
