package io.sharpsweep.chromium;

import com.fasterxml.jackson.databind.JsonNode;
import io.sharpsweep.protocol.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium, headless with a fresh profile, driven through Debian's chromedriver over the
 * W3C WebDriver protocol (plain HTTP and JSON: no client library, nothing downloaded).
 *
 * <p>Its set-up is also the one of the dashboard's browser tests, which drive the same browser
 * through Selenium: the binaries' usual places ({@link #CHROMIUM}, {@link #CHROMEDRIVER}), the
 * flags ({@link #arguments}) and a fresh profile ({@link #newProfile}, {@link #deleteProfile}).
 */
public final class HeadlessChromium implements AutoCloseable {
  /** Where Debian's package {@code chromium} puts the browser. */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** Where Debian's package {@code chromium-driver} puts the driver. */
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Process driver;
  private final Path profile;
  private final String base;
  private final String session;

  public HeadlessChromium(Path chromium, Path chromedriver) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    profile = newProfile();
    driver =
        new ProcessBuilder(chromedriver.toString(), "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    base = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      try {
        if (call("GET", "/status", null).path("value").path("ready").asBoolean()) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IOException("chromedriver did not become ready within 20 s");
      }
      sleep(100);
    }
    Map<String, Object> chrome = new LinkedHashMap<>();
    chrome.put("binary", chromium.toString());
    chrome.put("args", arguments(profile));
    Map<String, Object> caps =
        Map.of(
            "capabilities",
            Map.of("alwaysMatch", Map.of("browserName", "chrome", "goog:chromeOptions", chrome)));
    JsonNode created = call("POST", "/session", caps);
    session = created.path("value").path("sessionId").asText(null);
    if (session == null) {
      close();
      throw new IOException("chromedriver refused a session: " + created);
    }
  }

  /**
   * Chromium's flags: headless, no sandbox or GPU (containers, CI), no background traffic, a fixed
   * window of 1440 × 1800, and {@code profile} as its user data.
   */
  public static List<String> arguments(Path profile) {
    return List.of(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1440,1800",
        "--user-data-dir=" + profile);
  }

  /** A fresh, empty profile directory. */
  public static Path newProfile() throws IOException {
    return Files.createTempDirectory("sharpsweep-chromium-");
  }

  /** Deletes a profile of {@link #newProfile}, as far as it can (it is a temporary directory). */
  public static void deleteProfile(Path profile) {
    try (var walk = Files.walk(profile)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory
    }
  }

  public void open(String url) throws IOException {
    call("POST", "/session/" + session + "/url", Map.of("url", url));
  }

  /** Runs {@code script} (a function body; {@code arguments[i]} are {@code args}) and returns. */
  public JsonNode script(String script, Object... args) throws IOException {
    JsonNode r =
        call(
            "POST",
            "/session/" + session + "/execute/sync",
            Map.of("script", script, "args", List.of(args)));
    JsonNode value = r.path("value");
    if (value.isObject() && value.has("error")) {
      throw new IOException("script failed: " + value.path("message").asText());
    }
    return value;
  }

  /**
   * Milliseconds until {@code condition} (a script returning a boolean) holds, polled every 10 ms;
   * -1 after {@code timeout}.
   */
  public double await(String condition, Duration timeout, long startNanos) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (script(condition).asBoolean(false)) {
        return (System.nanoTime() - startNanos) / 1e6;
      }
      sleep(10);
    }
    return -1;
  }

  private JsonNode call(String method, String path, Object body) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(Json.encodeToString(body)));
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return Json.mapper().readTree(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (session != null) {
      try {
        call("DELETE", "/session/" + session, null);
      } catch (IOException | RuntimeException e) {
        // the driver goes below anyway
      }
    }
    driver.destroy();
    try {
      driver.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteProfile(profile);
  }
}
