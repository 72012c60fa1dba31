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
import io.sharpsweep.chromium.HeadlessChromium;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.control.NewTrials;
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
import io.sharpsweep.protocol.study.TrialIds;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard's views for after the sweep, in headless Chromium: two studies of the same search
 * (one with clean labels, one with label noise) compared side by side — their store fronts overlaid
 * and their best trials' curves — and a study's trials in parallel coordinates. Both studies go in
 * through the control API and Kafka, as in {@link DashboardBrowserTest}. Screenshots: {@code
 * target/dashboard-compare.png}, {@code target/dashboard-parallel.png}.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@ExtendWith(DashboardBrowserTest.BrowserRequired.class)
class DashboardExploreBrowserTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String[] VARIANTS = {"sgd", "sam", "asam", "sam", "sgd", "asam", "sam"};
  private static final double[] LR = {0.01, 0.05, 0.1, 0.2, 0.02, 0.03, 0.08};
  private static final double[] RHO = {0.0, 0.05, 0.5, 0.1, 0.0, 0.2, 0.3};

  /** (val accuracy, cost) at the last of 3 epochs of trials 0–4 of each study. */
  private static final double[][] CLEAN = {
    {0.80, 3.0}, {0.86, 6.0}, {0.84, 6.0}, {0.85, 4.2}, {0.79, 3.6}
  };

  private static final double[][] NOISY = {
    {0.70, 3.0}, {0.74, 6.0}, {0.76, 6.5}, {0.72, 4.2}, {0.71, 3.3}
  };

  private static KafkaTestClient kafka;
  private static ChromeDriver browser;
  private static Path profile;
  private static String clean;
  private static String noisy;

  @TestHTTPResource("/")
  URL root;

  @BeforeAll
  static void startBrowser() throws IOException {
    kafka = new KafkaTestClient();
    profile = HeadlessChromium.newProfile();
    browser = DashboardBrowser.start(profile);
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

  /** In a @BeforeEach: REST Assured knows the test port only from the first test on. */
  @BeforeEach
  void seedOnce() {
    if (clean != null) {
      return;
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    clean = "clean-" + suffix;
    noisy = "noisy-" + suffix;
    seed(clean, "fmnist-clean", CLEAN, true);
    seed(noisy, "fmnist-label-noise", NOISY, false);
  }

  @Test
  void comparesTwoStudiesFrontsAndBestCurves() throws IOException {
    browser.get(root + "?refresh=1#/studies/" + clean);
    await()
        .atMost(PATIENCE)
        .until(() -> clean.equals(script("return document.body.dataset.renderedStudy")));
    // tick both studies in the list, then open them side by side
    for (String id : List.of(clean, noisy)) {
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  (Boolean)
                      script(
                          "const b = document.querySelector(`input[data-study-id='${arguments[0]}']`);"
                              + "if (!b) return false; if (!b.checked) b.click(); return true;",
                          id));
    }
    script("document.getElementById('compare-open').click()");
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                (clean + "," + noisy)
                    .equals(script("return document.body.dataset.renderedCompare")));
    assertThat(script("return location.hash")).isEqualTo("#/compare/" + clean + "," + noisy);
    assertThat(script("return document.getElementById('study-view').hidden")).isEqualTo(true);

    // one front series per study, named after it, each exactly the store's front (cost across)
    assertThat(
            script(
                "return echarts.getInstanceByDom(document.getElementById('compare-front-chart')).getOption().legend[0].data"))
        .isEqualTo(List.of("fmnist-clean", "fmnist-label-noise"));
    assertThat(seriesIds("compare-front-chart"))
        .containsExactly(
            "front:" + clean, "front-line:" + clean, "front:" + noisy, "front-line:" + noisy);
    for (String id : List.of(clean, noisy)) {
      JsonPath store = given().get("/v1/studies/" + id + "/pareto").jsonPath();
      assertThat(store.getString("x.name")).isEqualTo("val_accuracy");
      List<String> storeIds = store.getList("front.trialId");
      assertThat(storeIds).isNotEmpty();
      List<List<Object>> drawn = frontOf(id);
      assertThat(drawn).extracting(p -> (String) p.get(0)).containsExactlyElementsOf(storeIds);
      for (int i = 0; i < storeIds.size(); i++) {
        assertThat(((Number) drawn.get(i).get(1)).doubleValue())
            .isCloseTo(store.getDouble("front[" + i + "].y"), within(1e-9));
        assertThat(((Number) drawn.get(i).get(2)).doubleValue())
            .isCloseTo(store.getDouble("front[" + i + "].x"), within(1e-9));
      }
    }
    // clean: trial 4 (0.79 at 3.6) is dominated by trial 0 (0.80 at 3.0), trial 2 by trial 1
    assertThat(frontOf(clean))
        .extracting(p -> (String) p.get(0))
        .containsExactly(trial(clean, 0), trial(clean, 3), trial(clean, 1));
    // the best trials' curves: one line per study, three epochs each, the store's /curve values
    assertThat(seriesIds("compare-curves-chart")).containsExactly("best:" + clean, "best:" + noisy);
    for (String id : List.of(clean, noisy)) {
      String best = given().get("/v1/studies/" + id + "/best").jsonPath().getString("best.trialId");
      List<Float> curve =
          given()
              .get("/v1/studies/" + id + "/trials/" + best + "/curve")
              .jsonPath()
              .getList("points.valAccuracy", Float.class);
      List<?> drawn =
          (List<?>)
              script(
                  "return echarts.getInstanceByDom(document.getElementById('compare-curves-chart')).getOption().series.find(s => s.id === arguments[0]).data.map(d => d[1])",
                  "best:" + id);
      assertThat(drawn).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(((Number) drawn.get(i)).doubleValue()).isCloseTo(curve.get(i), within(1e-6));
      }
    }
    assertThat(best(clean)).isEqualTo(trial(clean, 1));
    assertThat(best(noisy)).isEqualTo(trial(noisy, 2));
    screenshot("dashboard-compare.png");

    // the route alone opens the same comparison, and a study's link goes back to its view
    browser.get("about:blank");
    browser.get(root + "?refresh=1#/compare/" + noisy + "," + clean);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                (noisy + "," + clean)
                    .equals(script("return document.body.dataset.renderedCompare")));
    assertThat(seriesIds("compare-curves-chart")).containsExactly("best:" + noisy, "best:" + clean);
  }

  @Test
  void drawsTheTrialsInParallelCoordinates() throws IOException {
    browser.get("about:blank");
    browser.get(root + "?refresh=1#/studies/" + clean);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                clean.equals(script("return document.body.dataset.renderedStudy"))
                    && ((Number) script(parallel("o.series[0].data.length"))).intValue() == 6);
    // one axis per parameter of the space, in its order, then the objective
    assertThat(script(parallel("o.parallelAxis.map(a => a.name)")))
        .isEqualTo(List.of("variant", "lr", "rho", "val accuracy"));
    assertThat(script(parallel("o.parallelAxis.map(a => a.type)")))
        .isEqualTo(List.of("category", "log", "value", "value"));
    assertThat(script(parallel("o.parallelAxis[0].data"))).isEqualTo(List.of("sgd", "sam", "asam"));
    // five completed trials and the running one at its latest epoch; the failed one is left out
    assertThat(script(parallel("o.series[0].data.map(d => d.trialId)")))
        .isEqualTo(
            List.of(
                trial(clean, 0),
                trial(clean, 1),
                trial(clean, 2),
                trial(clean, 3),
                trial(clean, 4),
                trial(clean, 5)));
    List<?> line = (List<?>) script(parallel("o.series[0].data[3].value"));
    assertThat(line.get(0)).isEqualTo("sam");
    assertThat(((Number) line.get(1)).doubleValue()).isEqualTo(0.2);
    assertThat(((Number) line.get(2)).doubleValue()).isEqualTo(0.1);
    assertThat(((Number) line.get(3)).doubleValue()).isCloseTo(0.85, within(1e-9));
    // coloured by the objective
    assertThat(((Number) script(parallel("o.visualMap[0].dimension"))).intValue()).isEqualTo(3);
    assertThat((String) script("return document.getElementById('parallel-note').textContent"))
        .contains("6 trials of the study at their last epoch", "epochs=last");
    screenshot("dashboard-parallel.png");
  }

  // ---- the studies ----------------------------------------------------------------------------

  /**
   * Trials 0–4 complete after 3 epochs; the clean study also has trial 5 running (one epoch) and
   * trial 6 failed.
   */
  private static void seed(String study, String name, double[][] finals, boolean extras) {
    ResultsStoreScenarios.sendStudy(study, spec(name));
    int trials = extras ? 7 : 5;
    List<Map<String, Object>> params = new java.util.ArrayList<>();
    for (int n = 0; n < trials; n++) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("variant", VARIANTS[n]);
      p.put("lr", LR[n]);
      p.put("rho", RHO[n]);
      params.add(p);
    }
    given()
        .contentType(io.restassured.http.ContentType.JSON)
        .body(Json.encode(new NewTrials(0, params)))
        .post("/v1/control/studies/" + study + "/trials")
        .then()
        .statusCode(201);
    for (int n = 0; n < finals.length; n++) {
      double acc = finals[n][0];
      double cost = finals[n][1];
      send(report(study, n, 1, acc - 0.12, cost / 3, false));
      send(report(study, n, 2, acc - 0.04, 2 * cost / 3, false));
      send(report(study, n, 3, acc, cost, true));
    }
    if (extras) {
      send(report(study, 5, 1, 0.66, 1.5, false));
      send(report(study, 6, 1, 0.41, 2.0, false));
      send(new TrialFailed(1, study, trial(study, 6), 1, 1, "loss diverged (NaN)", "worker-2"));
    }
    int completed = finals.length;
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonPath j = given().get("/v1/studies/" + study).jsonPath();
              return j.getInt("trials.completed") == completed
                  && j.getInt("trials.failed") == (extras ? 1 : 0)
                  && j.getInt("reportsStored") == 3 * completed + (extras ? 2 : 0);
            });
  }

  private static StudySpec spec(String name) {
    return new StudySpec(
        name,
        new DatasetSpec("fashion-mnist", null, 0.1, null, 2000, 500),
        "mlp",
        List.of(
            new Objective("val_accuracy", Goal.MAXIMIZE),
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE)),
        List.of(
            ParamSpec.categorical("variant", List.<Object>of("sgd", "sam", "asam")),
            ParamSpec.floatParam("lr", 0.01, 0.2, true),
            ParamSpec.floatParam("rho", 0.0, 0.5, false)),
        Map.of("batch-size", 128),
        new SamplerSpec("random", 7L, null),
        new SchedulerSpec("none", null, 3, null),
        new Budget(7, 2, 1),
        1L);
  }

  private static String trial(String study, int n) {
    return TrialIds.trialId(study, n);
  }

  private static String best(String study) {
    return given().get("/v1/studies/" + study + "/best").jsonPath().getString("best.trialId");
  }

  private static EpochReport report(
      String study, int n, int epoch, double valAccuracy, double sgdEpochs, boolean last) {
    double acc = Math.round(valAccuracy * 1e4) / 1e4;
    Metrics metrics =
        new Metrics(
            acc, Math.round((1.1 - acc) * 1e4) / 1e4, Math.round((1.0 - acc) * 1e4) / 1e4, null);
    Cost cost = new Cost(100L * epoch, 200L * epoch, 12_800L * epoch, 1.0, 1.5 * epoch, sgdEpochs);
    return new EpochReport(
        1, study, trial(study, n), 1, epoch, metrics, cost, "worker-1", null, last);
  }

  private static void send(ReportMessage message) {
    kafka.send(Topics.REPORTS, message.trialId(), Json.encode(message));
  }

  // ---- browser helpers ------------------------------------------------------------------------

  private static Object script(String js, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(js, args);
  }

  /** A script returning {@code expression} of the parallel chart's option {@code o}. */
  private static String parallel(String expression) {
    return "const c = echarts.getInstanceByDom(document.getElementById('parallel-chart'));"
        + "const o = c && c.getOption(); if (!o || !o.series.length) return -1; return "
        + expression
        + ";";
  }

  @SuppressWarnings("unchecked")
  private static List<String> seriesIds(String chartId) {
    return (List<String>)
        script(
            "return echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().series.map(s => s.id)",
            chartId);
  }

  /** [trialId, cost, accuracy] of each point of one study's front series. */
  @SuppressWarnings("unchecked")
  private static List<List<Object>> frontOf(String study) {
    return (List<List<Object>>)
        script(
            "return echarts.getInstanceByDom(document.getElementById('compare-front-chart')).getOption().series"
                + ".find(s => s.id === 'front:' + arguments[0]).data.map(d => [d.trialId, d.value[0], d.value[1]])",
            study);
  }

  private static void screenshot(String file) throws IOException {
    Path target = Path.of("target", file);
    Files.createDirectories(target.getParent());
    Files.copy(
        browser.getScreenshotAs(OutputType.FILE).toPath(),
        target,
        StandardCopyOption.REPLACE_EXISTING);
  }
}
