package io.sharpsweep.chromium;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The bench's browser on a page of its own: it starts, runs a script and waits for a condition.
 * Skipped where Debian's Chromium is not installed or {@code -Dsharpsweep.test.browser=false}.
 */
class HeadlessChromiumTest {
  @Test
  void opensAPageRunsAScriptAndWaits() throws Exception {
    Assumptions.assumeTrue(
        !"false".equalsIgnoreCase(System.getProperty("sharpsweep.test.browser", "true").trim())
            && Files.isExecutable(HeadlessChromium.CHROMIUM)
            && Files.isExecutable(HeadlessChromium.CHROMEDRIVER),
        "Chromium is not installed here, or the browser tests are off");
    try (HeadlessChromium browser =
        new HeadlessChromium(HeadlessChromium.CHROMIUM, HeadlessChromium.CHROMEDRIVER)) {
      browser.open("data:text/html,<p id='x'>ready</p>");
      assertThat(
              browser
                  .script("return document.getElementById(arguments[0]).textContent", "x")
                  .asText())
          .isEqualTo("ready");
      assertThat(browser.script("return window.innerWidth").asInt()).isEqualTo(1440);
      double ms =
          browser.await(
              "return document.readyState === 'complete'",
              Duration.ofSeconds(10),
              System.nanoTime());
      assertThat(ms).isGreaterThanOrEqualTo(0);
    }
  }
}
