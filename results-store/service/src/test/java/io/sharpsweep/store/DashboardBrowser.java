package io.sharpsweep.store;

import io.sharpsweep.chromium.HeadlessChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard tests' browser: Debian's Chromium driven by chromedriver (Selenium), with the flags
 * of {@link HeadlessChromium} on the profile {@code profile}, and the browser console kept for the
 * tests that read it.
 */
final class DashboardBrowser {
  private DashboardBrowser() {}

  static ChromeDriver start(Path profile) {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DashboardBrowserTest.BrowserRequired.DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(DashboardBrowserTest.BrowserRequired.CHROMIUM.toFile());
    options.addArguments(HeadlessChromium.arguments(profile));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriver browser = new ChromeDriver(service, options);
    browser
        .manage()
        .timeouts()
        .pageLoadTimeout(Duration.ofSeconds(30))
        .scriptTimeout(Duration.ofSeconds(10));
    return browser;
  }
}
