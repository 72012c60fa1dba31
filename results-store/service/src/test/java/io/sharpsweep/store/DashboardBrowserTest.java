package io.sharpsweep.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.sharpsweep.chromium.HeadlessChromium;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.sharpsweep.protocol.messages.TrialFailed;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.study.Budget;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.study.SchedulerSpec;
import io.sharpsweep.protocol.study.StudySpec;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by Selenium through Debian's
 * chromedriver (nothing is downloaded). A study with results goes into the store through the
 * control API and Kafka, as the scheduler and the workers would send it; the test opens the
 * dashboard, picks the study and checks what is drawn: one table row per trial, the Pareto front's
 * points (read from the ECharts instance), a live update without reloading, sorting, and what the
 * page shows when the store's front fails. It leaves a screenshot at {@code target/dashboard.png}.
 *
 * <p>Without {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} the class fails with one
 * line naming the Debian packages; {@code -Dsharpsweep.test.browser=false} skips it on purpose.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@ExtendWith(DashboardBrowserTest.BrowserRequired.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

  /**
   * Trials 0–5 complete after 3 epochs with these final (val accuracy, cumulative SGD-epoch cost).
   */
  private static final String[] VARIANTS = {
    "sgd", "sam", "asam", "esam", "looksam", "ae-sam", "sam", "msam"
  };

  private static final double[][] FINALS = {
    {0.80, 3.0}, {0.86, 6.0}, {0.84, 6.0}, {0.85, 4.2}, {0.79, 3.6}, {0.83, 4.0}
  };
  private static final double[][] PARAMS = {
    {0.1, 0.0},
    {0.05, 0.05},
    {0.05, 0.5},
    {0.1, 0.05},
    {0.02, 0.1},
    {0.1, 0.05},
    {0.2, 0.1},
    {0.05, 0.05}
  };

  private static KafkaTestClient kafka;
  private static ChromeDriver browser;
  private static Path profile;
  private static String study;

  @TestHTTPResource("/")
  URL root;

  @BeforeAll
  static void startBrowser() throws IOException {
    kafka = new KafkaTestClient();
    profile = HeadlessChromium.newProfile();
    browser = DashboardBrowser.start(profile);
  }

  /**
   * Once per class, but in a @BeforeEach: REST Assured knows the test port only from the first test
   * on.
   */
  @BeforeEach
  void seedStudyOnce() {
    if (study != null) {
      return;
    }
    study = "dash-" + UUID.randomUUID().toString().substring(0, 8);
    ResultsStoreScenarios.sendStudy(study, spec());
    for (int n = 0; n < VARIANTS.length; n++) {
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("variant", VARIANTS[n]);
      params.put("lr", PARAMS[n][0]);
      params.put("rho", PARAMS[n][1]);
      io.restassured.RestAssured.given()
          .contentType(io.restassured.http.ContentType.JSON)
          .body(
              Json.encode(
                  new io.sharpsweep.protocol.control.NewTrials(n, java.util.List.of(params))))
          .post("/v1/control/studies/" + study + "/trials")
          .then()
          .statusCode(201);
    }
    for (int n = 0; n < FINALS.length; n++) {
      double acc = FINALS[n][0];
      double cost = FINALS[n][1];
      send(report(n, 1, acc - 0.12, cost / 3, false));
      send(report(n, 2, acc - 0.04, 2 * cost / 3, false));
      send(report(n, 3, acc, cost, true));
    }
    // Trial 6 is still running (its third epoch comes during the test); trial 7 diverged after one
    // epoch.
    send(report(6, 1, 0.70, 1.5, false));
    send(report(6, 2, 0.78, 3.0, false));
    send(report(7, 1, 0.41, 2.0, false));
    send(new TrialFailed(1, study, trial(7), 1, 1, "loss diverged (NaN) at step 17", "worker-2"));
    awaitTrials(
        j ->
            count(j, "completed") == 6
                && count(j, "running") == 1
                && count(j, "failed") == 1
                && j.getList("number").size() == 8);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (profile != null) {
      HeadlessChromium.deleteProfile(profile);
    }
  }

  @Test
  @Order(1)
  void showsTheStudyWithItsFrontAndFollowsItLive() throws IOException {
    // The page names this build's bundle files, so browsers must revalidate it rather than keep it
    // for a day.
    given().get("/").then().statusCode(200).header("Cache-Control", "no-cache");
    browser.get(root + "?refresh=1");
    String link = "a.study-item[data-study-id='" + study + "']";
    await()
        .atMost(PATIENCE)
        .until(
            () -> (Boolean) script("return document.querySelector(arguments[0]) !== null", link));
    click(link); // the list is redrawn on every refresh: find and click in one script call
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                study.equals(script("return document.body.dataset.renderedStudy"))
                    && rows("trialId").size() == 8);

    // One row per trial, in trial order, with its state and final values.
    assertThat(rows("trialId")).containsExactly(trials(0, 1, 2, 3, 4, 5, 6, 7));
    assertThat(rows("state"))
        .containsExactly(
            "completed",
            "completed",
            "completed",
            "completed",
            "completed",
            "completed",
            "running",
            "failed");
    assertThat(rowText(3)).contains("#3", "esam", "0.8500", "4.20");
    assertThat(text("study-name")).isEqualTo("fmnist-sam-family");

    // The front: trials 0, 5, 3, 1 — cost on the horizontal axis, accuracy on the vertical one.
    await().atMost(PATIENCE).until(() -> front().size() == 4);
    assertFront(
        trials(0, 5, 3, 1), new double[][] {{3.0, 0.80}, {4.0, 0.83}, {4.2, 0.85}, {6.0, 0.86}});
    assertThat(seriesSize("pareto-chart", "trials")).isEqualTo(6); // every completed trial is drawn
    assertThat(seriesSize("pareto-chart", "unfinished"))
        .isEqualTo(1); // trial 6 at its latest epoch
    // The front and its hypervolume are the store's /pareto answer.
    assertThat(text("pareto-note")).contains("front from the store");
    // The rung panel shows only when the store answers /rungs with rungs.
    Response rungs = given().get("/v1/studies/" + study + "/rungs");
    boolean storeHasRungs =
        rungs.statusCode() == 200 && !rungs.jsonPath().getList("rungs").isEmpty();
    assertThat(browser.findElement(By.id("rungs-card")).isDisplayed()).isEqualTo(storeHasRungs);

    // Learning curves: one line per trial, its points by epoch; parameter plots: one per parameter.
    assertThat(seriesSize("curves-chart", trial(6))).isEqualTo(2);
    assertThat(seriesSize("curves-chart", trial(0))).isEqualTo(3);
    assertThat(
            script(
                "return [...document.querySelectorAll('#params-charts .param-chart')].map(d => d.dataset.param).join()"))
        .isEqualTo("variant,lr,rho");

    // Live: trial 6 finishes while the page is open; it replaces trial 1 on the front without a
    // reload.
    send(report(6, 3, 0.88, 4.5, true));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                rows("state").get(6).equals("completed")
                    && front().stream().anyMatch(p -> p.get(0).equals(trial(6))));
    assertFront(
        trials(0, 5, 3, 6), new double[][] {{3.0, 0.80}, {4.0, 0.83}, {4.2, 0.85}, {4.5, 0.88}});
    // By hand: the reference is the worst value per metric moved a tenth of the range away (cost
    // 6 + 0.3, accuracy 0.79 - 0.009); the front's boxes, cheapest first, add (6.3 - cost) × (its
    // accuracy - the previous one's).
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(
                        ((Number) script("return sharpsweep.state.pareto.hypervolume"))
                            .doubleValue())
                    .isCloseTo(
                        (6.3 - 3.0) * (0.80 - 0.781)
                            + (6.3 - 4.0) * 0.03
                            + (6.3 - 4.2) * 0.02
                            + (6.3 - 4.5) * 0.03,
                        within(1e-9)));

    // Sorting: val accuracy, best first; clicking again reverses it.
    click("#trial-table th[data-key='metric:val_accuracy']");
    assertThat(rows("trialId")).startsWith(trials(6, 1, 3));
    click("#trial-table th[data-key='metric:val_accuracy']");
    assertThat(rows("trialId")).startsWith(trials(7, 4, 0));

    // Selecting a row highlights that trial's learning curve.
    click("#trial-table tbody tr[data-trial-id='" + trial(3) + "']");
    assertThat(script("return document.querySelector('#trial-table tr.selected').dataset.trialId"))
        .isEqualTo(trial(3));
    assertThat(
            ((Number)
                    script(
                        "return echarts.getInstanceByDom(document.getElementById('curves-chart')).getOption().series.find(s => s.id === arguments[0]).lineStyle.width",
                        trial(3)))
                .doubleValue())
        .isEqualTo(3.5);

    assertThat(severeConsoleErrors()).isEmpty();
    Files.createDirectories(SCREENSHOT.getParent());
    Files.copy(
        browser.getScreenshotAs(OutputType.FILE).toPath(),
        SCREENSHOT,
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(SCREENSHOT)).isGreaterThan(20_000);
  }

  /**
   * The store fails its /pareto answer and, like an older store, has no /rungs (the browser answers
   * for them before the page loads): the table is drawn, the front is empty and its note quotes the
   * store's message, the rung panel is hidden. Also opens the study by its link.
   */
  @Test
  @Order(2)
  void showsNoFrontWhenTheStoreFailsItsParetoAnswer() {
    String fakeFailures =
        "const storeFetch = window.fetch;"
            + "const answer = (status, body) => Promise.resolve(new Response(body, {status,"
            + "  headers: {'Content-Type': 'application/json'}}));"
            + "window.fetch = (url, init) => /\\/pareto$/.test(String(url))"
            + "  ? answer(503, '{\"errors\":[{\"message\":\"database unavailable\"}]}')"
            + "  : /\\/rungs$/.test(String(url)) ? answer(404, '{\"errors\":[]}')"
            + "  : storeFetch(url, init);";
    Map<String, Object> added =
        browser.executeCdpCommand(
            "Page.addScriptToEvaluateOnNewDocument", Map.of("source", fakeFailures));
    try {
      browser.get(
          "about:blank"); // a full load: the same URL with another hash would only move within the
      // page
      browser.get(root + "?refresh=1#/studies/" + study);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  study.equals(script("return document.body.dataset.renderedStudy"))
                      && rows("trialId").size() == 8
                      && text("pareto-note").contains("no front"));
      assertThat(text("pareto-note")).contains("0 on the front", "database unavailable");
      assertThat(front()).isEmpty();
      assertThat(script("return sharpsweep.state.pareto.hypervolume")).isNull();
      assertThat(browser.findElement(By.id("rungs-card")).isDisplayed()).isFalse();
    } finally {
      browser.executeCdpCommand(
          "Page.removeScriptToEvaluateOnNewDocument",
          Map.of("identifier", added.get("identifier")));
    }
  }

  /**
   * The "after the sweep" card, after trial 6 (sam, 0.88 at 4.5) completed in the first test: the
   * variants table in the order and with the values computed by hand, and the importance bars.
   */
  @Test
  @Order(3)
  void showsTheVariantsReportAndTheImportances() {
    awaitTrials(j -> count(j, "completed") == 7);
    browser.get("about:blank");
    browser.get(root + "?refresh=1#/studies/" + study);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                (Boolean)
                    script(
                        "return !document.getElementById('analysis-card').hidden"
                            + " && document.querySelectorAll('#variants-table tbody tr').length === 6"));
    @SuppressWarnings("unchecked")
    List<String> variants =
        (List<String>)
            script(
                "return [...document.querySelectorAll('#variants-table tbody tr')].map(r => r.dataset.variant)");
    assertThat(variants).containsExactly("sgd", "sam", "esam", "asam", "ae-sam", "looksam");
    // sam: 0.86 and 0.88 (median 0.87, quartiles 0.865 and 0.875, std 0.01·√2); best 0.88 at 4.5;
    // SGD at cost ≤ 4.5 is trial 0 (0.80 at 3): +0.08 for 1.5 more, 0.05333 each
    assertThat(variantRow("sam"))
        .isEqualTo(
            List.of(
                "sam",
                "2",
                "0.8700 [0.8650, 0.8750]",
                "0.8700 ± 0.0141",
                "0.8800",
                "4.50",
                "0.8000",
                "+0.0800",
                "+0.05333"));
    // looksam: 0.79 at 3.6 against SGD's 0.80 at 3: −0.01 for 0.6 more
    assertThat(variantRow("looksam").subList(4, 9))
        .containsExactly("0.7900", "3.60", "0.8000", "-0.0100", "-0.01667");
    assertThat(variantRow("sgd").subList(6, 9)).containsExactly("—", "—", "—");

    // one bar per parameter; every trial sets all three, so they share 1
    List<?> shares =
        (List<?>)
            script(
                "return echarts.getInstanceByDom(document.getElementById('importance-chart'))"
                    + ".getOption().series[0].data.map(d => d.value)");
    assertThat(shares).hasSize(3);
    assertThat(numbers(shares).stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, within(1e-9));
    assertThat(text("analysis-note"))
        .contains("importance over 7 completed trials (fanova, 64 trees)");
    assertThat(severeConsoleErrors()).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static List<String> variantRow(String variant) {
    return (List<String>)
        script(
            "return [...document.querySelector(`#variants-table tr[data-variant='${arguments[0]}']`).cells].map(c => c.textContent)",
            variant);
  }

  // ---- browser helpers
  // ---------------------------------------------------------------------------------------

  private static Object script(String js, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(js, args);
  }

  // The page redraws its table when new data arrive, so rows are read and clicked in one script
  // call each: an
  // element found in one call could be gone in the next.

  /** One data attribute of every table row, in the order shown. */
  @SuppressWarnings("unchecked")
  private static List<String> rows(String attribute) {
    return (List<String>)
        script(
            "return [...document.querySelectorAll('#trial-table tbody tr')].map(r => r.dataset[arguments[0]])",
            attribute);
  }

  private static String rowText(int n) {
    return (String)
        script(
            "return document.querySelector(`#trial-table tbody tr[data-trial-id='${arguments[0]}']`).innerText",
            trial(n));
  }

  private static void click(String css) {
    script("document.querySelector(arguments[0]).click()", css);
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  /**
   * The front series of the accuracy-versus-cost chart, as ECharts holds it: [trialId, cost,
   * accuracy] per point.
   */
  @SuppressWarnings("unchecked")
  private static List<List<Object>> front() {
    Object out =
        script(
            "const c = echarts.getInstanceByDom(document.getElementById('pareto-chart'));"
                + "const s = c && c.getOption().series.find(s => s.id === 'front');"
                + "return s ? s.data.map(d => [d.trialId, d.value[0], d.value[1]]) : [];");
    return (List<List<Object>>) out;
  }

  private static int seriesSize(String chartId, String seriesId) {
    Object n =
        script(
            "const s = echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().series.find(s => s.id === arguments[1]);"
                + "return s ? s.data.length : -1;",
            chartId,
            seriesId);
    return ((Number) n).intValue();
  }

  private static void assertFront(String[] trialIds, double[][] costAndAccuracy) {
    List<List<Object>> front = front();
    assertThat(front).extracting(p -> (String) p.get(0)).containsExactly(trialIds);
    for (int i = 0; i < trialIds.length; i++) {
      assertThat(((Number) front.get(i).get(1)).doubleValue())
          .as("cost of %s", trialIds[i])
          .isCloseTo(costAndAccuracy[i][0], within(1e-9));
      assertThat(((Number) front.get(i).get(2)).doubleValue())
          .as("accuracy of %s", trialIds[i])
          .isCloseTo(costAndAccuracy[i][1], within(1e-9));
    }
  }

  private static List<Double> numbers(Object list) {
    return ((List<?>) list).stream().map(o -> ((Number) o).doubleValue()).toList();
  }

  /** Script errors and failed requests, except the 404 of /rungs, which an older store lacks. */
  private static List<String> severeConsoleErrors() {
    List<String> out = new ArrayList<>();
    for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()
          && !(e.getMessage().contains("404") && e.getMessage().matches("(?s).*/rungs.*"))) {
        out.add(e.getMessage());
      }
    }
    return out;
  }

  // ---- the study
  // -------------------------------------------------------------------------------------------

  private static StudySpec spec() {
    return new StudySpec(
        "fmnist-sam-family",
        new DatasetSpec("fashion-mnist", null, 0.1, null, 2000, 500),
        "mlp",
        List.of(
            new Objective("val_accuracy", Goal.MAXIMIZE),
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE)),
        List.of(
            ParamSpec.categorical(
                "variant", List.<Object>copyOf(new java.util.LinkedHashSet<>(List.of(VARIANTS)))),
            ParamSpec.floatParam("lr", 0.01, 0.2, true),
            ParamSpec.floatParam("rho", 0.0, 0.5, false)),
        Map.of("batch-size", 128),
        new SamplerSpec("random", 7L, null),
        new SchedulerSpec("none", null, 3, null),
        new Budget(8, 2, 1),
        1L);
  }

  private static String trial(int n) {
    return io.sharpsweep.protocol.study.TrialIds.trialId(study, n);
  }

  private static String[] trials(int... numbers) {
    return java.util.Arrays.stream(numbers)
        .mapToObj(DashboardBrowserTest::trial)
        .toArray(String[]::new);
  }

  private static EpochReport report(
      int n, int epoch, double valAccuracy, double sgdEpochs, boolean last) {
    double acc = Math.round(valAccuracy * 1e4) / 1e4;
    Metrics metrics =
        new Metrics(
            acc, Math.round((1.1 - acc) * 1e4) / 1e4, Math.round((1.0 - acc) * 1e4) / 1e4, null);
    Cost cost = new Cost(100L * epoch, 200L * epoch, 12_800L * epoch, 1.0, 1.5 * epoch, sgdEpochs);
    return new EpochReport(
        1,
        study,
        trial(n),
        1,
        epoch,
        metrics,
        cost,
        "worker-1",
        "file:///ckpt/" + trial(n) + "/" + epoch,
        last);
  }

  private static void send(ReportMessage message) {
    kafka.send(Topics.REPORTS, message.trialId(), Json.encode(message));
  }

  private static int count(JsonPath trials, String state) {
    return trials.getList("findAll { it.state == '" + state + "' }").size();
  }

  private static void awaitTrials(java.util.function.Predicate<JsonPath> ready) {
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Response r = given().get("/v1/studies/" + study + "/trials");
              return r.statusCode() == 200 && ready.test(r.jsonPath());
            });
  }

  /**
   * Runs the class only where Debian's Chromium and its driver are installed; fails otherwise,
   * before Quarkus starts, with one line naming the packages. {@code
   * -Dsharpsweep.test.browser=false} skips it on purpose.
   */
  static final class BrowserRequired implements ExecutionCondition {
    static final String SWITCH = "sharpsweep.test.browser";
    static final Path CHROMIUM =
        Path.of(
            System.getProperty(
                "sharpsweep.test.browser.binary", HeadlessChromium.CHROMIUM.toString()));
    static final Path DRIVER =
        Path.of(
            System.getProperty(
                "sharpsweep.test.browser.driver", HeadlessChromium.CHROMEDRIVER.toString()));

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if ("false".equalsIgnoreCase(System.getProperty(SWITCH, "true").trim())) {
        return ConditionEvaluationResult.disabled(
            "browser test skipped on purpose (-D" + SWITCH + "=false)");
      }
      List<String> missing =
          Stream.of(CHROMIUM, DRIVER)
              .filter(p -> !Files.isExecutable(p))
              .map(Path::toString)
              .toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "Chromium for the dashboard test is missing ("
                + String.join(", ", missing)
                + "): apt-get install chromium chromium-driver (CI does), or skip this test on purpose with -D"
                + SWITCH
                + "=false");
      }
      // Selenium must use Debian's driver, never download one.
      System.setProperty("webdriver.chrome.driver", DRIVER.toString());
      return ConditionEvaluationResult.enabled("Chromium at " + CHROMIUM + ", driver at " + DRIVER);
    }
  }
}
