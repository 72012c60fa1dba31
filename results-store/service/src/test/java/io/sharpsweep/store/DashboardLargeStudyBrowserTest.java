package io.sharpsweep.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sharpsweep.chromium.HeadlessChromium;
import io.sharpsweep.kafka.KafkaBrokerResource;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard on a study too large to draw whole: 2,000 trials × 2 epochs, created through the
 * control API and reported through Kafka. The page shows the first page of 50 trials, no more
 * curves than that, the store's front over the whole study; "next" and "previous" move through the
 * pages and a click on a row draws that trial's curve bold. Functional checks only: the time the
 * page takes is measured by {@code sharpsweep bench-large-study}, not asserted here.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@ExtendWith(DashboardBrowserTest.BrowserRequired.class)
class DashboardLargeStudyBrowserTest {
  private static final int TRIALS = 2000;
  private static final int PAGE = 50;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static KafkaTestClient kafka;
  private static ChromeDriver browser;
  private static Path profile;

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

  @Test
  void opensALargeStudyPagesThroughItAndDrawsACurve() {
    String study = "large-" + UUID.randomUUID().toString().substring(0, 8);
    seed(study);

    browser.get(root + "?refresh=2#/studies/" + study);
    script("performance.setResourceTimingBufferSize(10000)");
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                study.equals(script("return document.body.dataset.renderedStudy"))
                    && rows().size() == PAGE);
    // the first page, by number, and the pager saying where it is
    assertThat(rows()).containsExactlyElementsOf(trials(0, PAGE));
    assertThat(text("trials-range")).isEqualTo("trials 1–50 of " + TRIALS);
    assertThat(script("return document.getElementById('trials-prev').disabled")).isEqualTo(true);
    // the curves are the page's (50 of 2,000), the front is the store's over the whole study
    await().atMost(PATIENCE).until(() -> curveCount() == PAGE);
    // the table is read with each trial's last report; the page's epochs are read once, not again
    // by refreshes of a page whose trials have no new epoch
    assertThat(requests("epochs=all")).isEqualTo(1);
    long tablesRead = requests("epochs=last");
    await().atMost(PATIENCE).until(() -> requests("epochs=last") >= tablesRead + 2);
    assertThat(requests("epochs=all")).isEqualTo(1);
    List<String> storeFront =
        given().get("/v1/studies/" + study + "/pareto").jsonPath().getList("front.trialId");
    assertThat(storeFront).isNotEmpty();
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> assertThat(new HashSet<>(front())).isEqualTo(new HashSet<>(storeFront)));

    // next: trials 50–99
    script("document.getElementById('trials-next').click()");
    await().atMost(PATIENCE).until(() -> trials(PAGE, 2 * PAGE).equals(rows()));
    assertThat(text("trials-range")).isEqualTo("trials 51–100 of " + TRIALS);
    assertThat(script("return document.getElementById('trials-prev').disabled")).isEqualTo(false);
    await().atMost(PATIENCE).until(() -> curveCount() == PAGE);

    // a click on a row draws that trial's curve bold, with both its epochs
    String chosen = TrialIds.trialId(study, 57);
    script(
        "document.querySelector(`#trial-table tbody tr[data-trial-id='${arguments[0]}']`).click()",
        chosen);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                chosen.equals(
                        script(
                            "const r = document.querySelector('#trial-table tr.selected'); return r && r.dataset.trialId"))
                    && Double.valueOf(3.5).equals(number(curveWidth(chosen))));
    assertThat(
            ((Number)
                    script(
                        "return echarts.getInstanceByDom(document.getElementById('curves-chart')).getOption().series.find(s => s.id === arguments[0]).data.length",
                        chosen))
                .intValue())
        .isEqualTo(2);

    // previous: back to the first page
    script("document.getElementById('trials-prev').click()");
    await().atMost(PATIENCE).until(() -> trials(0, PAGE).equals(rows()));
    assertThat(text("trials-range")).isEqualTo("trials 1–50 of " + TRIALS);
  }

  // ---- the study ------------------------------------------------------------------------------

  private static void seed(String study) {
    ResultsStoreScenarios.sendStudy(study, spec());
    for (int first = 0; first < TRIALS; first += 500) {
      List<Map<String, Object>> params = new ArrayList<>();
      for (int n = first; n < Math.min(TRIALS, first + 500); n++) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("variant", n % 3 == 0 ? "sgd" : "sam");
        p.put("lr", 0.01 + (n % 97) / 500.0);
        params.add(p);
      }
      given()
          .contentType(io.restassured.http.ContentType.JSON)
          .body(Json.encode(new NewTrials(first, params)))
          .post("/v1/control/studies/" + study + "/trials")
          .then()
          .statusCode(201);
    }
    for (int epoch = 1; epoch <= 2; epoch++) {
      for (int n = 0; n < TRIALS; n++) {
        send(report(study, n, epoch));
      }
    }
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                given().get("/v1/studies/" + study).jsonPath().getLong("reportsStored")
                    == 2L * TRIALS);
  }

  private static StudySpec spec() {
    return new StudySpec(
        "large-study",
        new DatasetSpec("synthetic", null, 0.1, null, 1000, 100),
        "mlp",
        List.of(
            new Objective("val_accuracy", Goal.MAXIMIZE),
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE)),
        List.of(
            ParamSpec.categorical("variant", List.<Object>of("sgd", "sam")),
            ParamSpec.floatParam("lr", 0.01, 0.3, true)),
        Map.of("batch-size", 128),
        new SamplerSpec("random", 7L, null),
        new SchedulerSpec("none", null, 2, null),
        new Budget(TRIALS, 64, 1),
        1L);
  }

  /** Trial n ends at accuracy 0.5 + 0.4 × a scrambled fraction of n, at a cost of 1 to 10. */
  private static EpochReport report(String study, int n, int epoch) {
    double acc = 0.5 + 0.4 * ((n * 7919L) % 1000) / 1000.0 - (epoch == 1 ? 0.1 : 0.0);
    double cost = (1 + n % 10) * epoch / 2.0;
    return new EpochReport(
        1,
        study,
        TrialIds.trialId(study, n),
        1,
        epoch,
        new Metrics(acc, 1.1 - acc, 1.0 - acc, null),
        new Cost(100L * epoch, 200L * epoch, 12_800L * epoch, 1.0, 1.5 * epoch, cost),
        "worker-1",
        null,
        epoch == 2);
  }

  private static void send(EpochReport r) {
    kafka.send(Topics.REPORTS, r.trialId(), Json.encode(r));
  }

  private static List<String> trials(int from, int to) {
    String study = (String) script("return document.body.dataset.renderedStudy");
    return IntStream.range(from, to).mapToObj(n -> TrialIds.trialId(study, n)).toList();
  }

  // ---- browser helpers ------------------------------------------------------------------------

  private static Object script(String js, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(js, args);
  }

  @SuppressWarnings("unchecked")
  private static List<String> rows() {
    return (List<String>)
        script(
            "return [...document.querySelectorAll('#trial-table tbody tr')].map(r => r.dataset.trialId)");
  }

  private static String text(String id) {
    return (String) script("return document.getElementById(arguments[0]).textContent", id);
  }

  private static int curveCount() {
    return ((Number)
            script(
                "return echarts.getInstanceByDom(document.getElementById('curves-chart')).getOption().series.length"))
        .intValue();
  }

  /** How many of the page's requests to the trials endpoint had {@code query} in their URL. */
  private static long requests(String query) {
    return ((Number)
            script(
                "return performance.getEntriesByType('resource').filter(e => e.name.includes('/trials?') && e.name.includes(arguments[0])).length",
                query))
        .longValue();
  }

  @SuppressWarnings("unchecked")
  private static List<String> front() {
    return (List<String>)
        script(
            "const c = echarts.getInstanceByDom(document.getElementById('pareto-chart'));"
                + "const s = c && c.getOption().series.find(s => s.id === 'front');"
                + "return s ? s.data.map(d => d.trialId) : [];");
  }

  private static Object curveWidth(String trialId) {
    return script(
        "const s = echarts.getInstanceByDom(document.getElementById('curves-chart')).getOption().series.find(s => s.id === arguments[0]);"
            + "return s ? s.lineStyle.width : null;",
        trialId);
  }

  private static Double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : null;
  }
}
