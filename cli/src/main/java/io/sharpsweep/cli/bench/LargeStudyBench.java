package io.sharpsweep.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sharpsweep.chromium.HeadlessChromium;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.api.ApiException;
import io.sharpsweep.protocol.api.JsonHttp;
import io.sharpsweep.protocol.api.StoreClient;
import io.sharpsweep.protocol.control.ControlPaths;
import io.sharpsweep.protocol.control.CreateStudy;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code sharpsweep bench-large-study} against a running broker and results-store: creates one
 * study of {@code trials} trials through the store's control API (as the scheduler does), sends
 * {@code trials × epochs} epoch reports through Kafka (a seeded synthetic learning curve and a cost
 * per epoch for every trial, from several producers at once), waits until the store holds them all,
 * then times the read endpoints over REST and the dashboard in headless Chromium.
 */
public final class LargeStudyBench {
  /** What to run. */
  public record Options(
      int trials,
      int epochs,
      int calls,
      int pageSize,
      int producers,
      long seed,
      Duration ingestTimeout,
      Path chromium,
      Path chromedriver,
      boolean browser) {}

  /** p50/p99/max of one endpoint's latency, in milliseconds over {@code count} calls. */
  public record Latency(int count, double p50Ms, double p99Ms, double maxMs, long bytesLast) {
    static Latency of(List<Double> ms, long bytes) {
      double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (v.length == 0) {
        return new Latency(0, Double.NaN, Double.NaN, Double.NaN, bytes);
      }
      return new Latency(v.length, rank(v, 0.50), rank(v, 0.99), round(v[v.length - 1]), bytes);
    }

    private static double rank(double[] sorted, double q) {
      int i = (int) Math.ceil(q * sorted.length) - 1;
      return round(sorted[Math.max(0, Math.min(sorted.length - 1, i))]);
    }
  }

  /**
   * The dashboard in headless Chromium: milliseconds from navigation to the trial table's first
   * page and the charts drawn, to the next page after a click on "next", and to a trial's curve
   * drawn bold after a click on its row; -1 when that did not happen within 60 s. {@code requests}
   * are the page's fetches until the charts were drawn, as the browser timed them: where the
   * opening's time went.
   */
  public record Browser(
      double openToTableMs,
      double openToChartsMs,
      double nextPageMs,
      double selectCurveMs,
      int rowsShown,
      int curvesDrawn,
      int frontPoints,
      List<Request> requests,
      String error) {}

  /**
   * One fetch of the opening dashboard: started and lasted (ms from navigation), bytes received.
   */
  public record Request(String path, double startMs, double durationMs, long bytes) {}

  /** Everything measured. */
  public record Result(
      String database,
      int cores,
      String studyId,
      int trials,
      int epochs,
      long reportsStored,
      double createSeconds,
      double sendSeconds,
      double ingestSeconds,
      double ingestReportsPerSecond,
      int callsPerEndpoint,
      int pageSize,
      Map<String, Latency> endpoints,
      Browser dashboard) {}

  private static final String[] VARIANTS = {"sgd", "sam", "asam", "esam", "looksam"};
  private static final double[] VARIANT_COST = {1.0, 2.0, 2.0, 1.4, 1.2};

  private final StoreClient store;

  /** The store's control API, which the bench drives in the scheduler's place. */
  private final JsonHttp control;

  private final HttpClient timed =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String storeUrl;
  private final String bootstrap;
  private final Consumer<String> say;

  public LargeStudyBench(String storeUrl, String bootstrap, Consumer<String> say) {
    this.storeUrl = storeUrl;
    this.store = StoreClient.of(storeUrl, null);
    this.control =
        new JsonHttp("the results-store", storeUrl, Duration.ofSeconds(60), Optional.empty());
    this.bootstrap = bootstrap;
    this.say = say;
  }

  public Result run(Options o, String database) throws Exception {
    String id = "large-" + Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    long t0 = System.nanoTime();
    createStudy(o, id);
    double createSeconds = (System.nanoTime() - t0) / 1e9;
    say.accept(
        String.format(
            Locale.ROOT, "study %s: %d trials created in %.1f s", id, o.trials(), createSeconds));

    Ingest ingest = sendAndAwaitStored(o, id);
    Map<String, Latency> endpoints = timeEndpoints(o, id);
    Browser browser = o.browser() ? dashboard(o, id) : null;
    return new Result(
        database,
        Runtime.getRuntime().availableProcessors(),
        id,
        o.trials(),
        o.epochs(),
        ingest.stored(),
        round(createSeconds),
        round(ingest.sendSeconds()),
        round(ingest.ingestSeconds()),
        round(ingest.stored() / ingest.ingestSeconds()),
        o.calls(),
        o.pageSize(),
        endpoints,
        browser);
  }

  /** The reports stored, and the seconds until all were sent and until all were stored. */
  private record Ingest(long stored, double sendSeconds, double ingestSeconds) {}

  /** Sends every report from {@code o.producers()} threads and waits until the store holds all. */
  private Ingest sendAndAwaitStored(Options o, String id) throws Exception {
    long s0 = System.nanoTime();
    AtomicLong sent = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] senders = startSenders(o, id, sent, failure);
    long total = (long) o.trials() * o.epochs();
    long stored = 0;
    long deadline = System.nanoTime() + o.ingestTimeout().toNanos();
    long lastSay = 0;
    double sendSeconds = Double.NaN;
    while (System.nanoTime() < deadline) {
      if (Double.isNaN(sendSeconds)
          && java.util.Arrays.stream(senders).noneMatch(Thread::isAlive)) {
        sendSeconds = (System.nanoTime() - s0) / 1e9;
        if (failure.get() != null) {
          throw new IllegalStateException("sending failed: " + failure.get(), failure.get());
        }
        say.accept(String.format(Locale.ROOT, "all %d reports sent in %.1f s", total, sendSeconds));
      }
      try {
        stored = store.study(id).reportsStored();
      } catch (ApiException e) {
        // a busy store: ask again
      }
      if (stored >= total) {
        break;
      }
      if (System.nanoTime() - lastSay > 15_000_000_000L) {
        lastSay = System.nanoTime();
        sayProgress(stored, total, (lastSay - s0) / 1e9, sent.get());
      }
      Thread.sleep(1000);
    }
    double ingestSeconds = (System.nanoTime() - s0) / 1e9;
    if (stored < total) {
      throw new IllegalStateException(
          "only " + stored + " of " + total + " reports stored within " + o.ingestTimeout());
    }
    say.accept(
        String.format(
            Locale.ROOT,
            "%d reports stored in %.1f s (%.0f/s)",
            stored,
            ingestSeconds,
            stored / ingestSeconds));
    return new Ingest(stored, sendSeconds, ingestSeconds);
  }

  private Thread[] startSenders(
      Options o, String id, AtomicLong sent, AtomicReference<Throwable> failure) {
    Thread[] senders = new Thread[o.producers()];
    for (int p = 0; p < senders.length; p++) {
      int part = p;
      senders[p] =
          new Thread(
              () -> {
                try {
                  send(o, id, part, senders.length, sent);
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "bench-producer-" + p);
      senders[p].start();
    }
    return senders;
  }

  private void sayProgress(long stored, long total, double secs, long sent) {
    say.accept(
        String.format(
            Locale.ROOT,
            "%d of %d reports stored after %.0f s (%.0f/s), %d sent",
            stored,
            total,
            secs,
            stored / secs,
            sent));
  }

  // ---- the study
  // ---------------------------------------------------------------------------------

  static StudySpec spec(Options o) {
    return new StudySpec(
        "bench-large-study",
        new DatasetSpec("synthetic", null, 0.1, null, 1000, 100),
        "mlp",
        List.of(
            new Objective("val_accuracy", Goal.MAXIMIZE),
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE)),
        List.of(
            ParamSpec.categorical("variant", List.<Object>of((Object[]) VARIANTS)),
            ParamSpec.floatParam("lr", 0.01, 0.3, true),
            ParamSpec.floatParam("momentum", 0.0, 0.9, false)),
        Map.of("batch-size", 128),
        new SamplerSpec("random", o.seed(), null),
        new SchedulerSpec("none", null, o.epochs(), null),
        new Budget(o.trials(), Math.min(o.trials(), 1000), 3),
        o.seed());
  }

  private void createStudy(Options o, String id) {
    control.post(ControlPaths.STUDIES, new CreateStudy(id, spec(o), System.currentTimeMillis()));
    int batch = 500;
    for (int first = 0; first < o.trials(); first += batch) {
      List<Map<String, Object>> params = new ArrayList<>();
      for (int n = first; n < Math.min(o.trials(), first + batch); n++) {
        params.add(params(o.seed(), n));
      }
      control.post(ControlPaths.STUDIES + "/" + id + "/trials", new NewTrials(first, params));
    }
  }

  static Map<String, Object> params(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + n);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("variant", VARIANTS[r.nextInt(VARIANTS.length)]);
    p.put("lr", round6(Math.exp(Math.log(0.01) + r.nextDouble() * Math.log(30))));
    p.put("momentum", round6(0.9 * r.nextDouble()));
    return p;
  }

  /**
   * Trial {@code n}'s report of {@code epoch}: validation accuracy rises towards a ceiling set by
   * its parameters with a seeded noise, the losses fall with it, and the cost grows by the
   * variant's SGD-epoch equivalents each epoch.
   */
  static EpochReport report(String studyId, long seed, int n, int epoch, int epochs) {
    Map<String, Object> p = params(seed, n);
    int v = java.util.Arrays.asList(VARIANTS).indexOf(p.get("variant"));
    double lr = (double) p.get("lr");
    double momentum = (double) p.get("momentum");
    double ceiling =
        0.93 - 0.06 * Math.abs(Math.log(lr / 0.08)) - 0.03 * Math.abs(momentum - 0.6) + 0.01 * v;
    double tau = 1.0 + 4.0 * new SplittableRandom(seed + 31L * n).nextDouble();
    double noise =
        (new SplittableRandom(seed ^ (n * 1_000_033L + epoch)).nextDouble() - 0.5) * 0.01;
    double acc = Math.max(0.05, ceiling - (ceiling - 0.1) * Math.exp(-epoch / tau) + noise);
    acc = Math.round(acc * 1e4) / 1e4;
    double valLoss = Math.round((1.2 - acc) * 1e4) / 1e4;
    double trainLoss = Math.round((1.1 - acc) * 1e4) / 1e4;
    double cost = VARIANT_COST[v] * epoch;
    Cost c =
        new Cost(
            1000L * epoch,
            (long) (1000 * VARIANT_COST[v]) * epoch,
            128_000L * epoch,
            v == 0 ? 0.0 : 1.0,
            Math.round(1.5 * cost * 1e3) / 1e3,
            Math.round(cost * 1e3) / 1e3);
    String trialId = TrialIds.trialId(studyId, n);
    return new EpochReport(
        1,
        studyId,
        trialId,
        1,
        epoch,
        new Metrics(acc, valLoss, trainLoss, null),
        c,
        "bench-worker-" + (n % 64),
        epoch == epochs ? "file:///bench/" + trialId + "/" + epoch : null,
        epoch == epochs);
  }

  /** Producer {@code part} of {@code parts} sends the reports of trials n ≡ part (mod parts). */
  private void send(Options o, String id, int part, int parts, AtomicLong sent) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-large-study-" + part);
    AtomicReference<Exception> error = new AtomicReference<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      // epoch by epoch over all trials, as a fleet would train them; one key per trial keeps each
      // trial's reports in order on its partition
      for (int e = 1; e <= o.epochs(); e++) {
        for (int n = part; n < o.trials(); n += parts) {
          EpochReport r = report(id, o.seed(), n, e, o.epochs());
          producer.send(
              new ProducerRecord<>(Topics.REPORTS, r.trialId(), Json.encode(r)),
              (md, ex) -> {
                if (ex != null) {
                  error.compareAndSet(null, ex);
                } else {
                  sent.incrementAndGet();
                }
              });
        }
        if (error.get() != null) {
          throw error.get();
        }
      }
      producer.flush();
    }
    if (error.get() != null) {
      throw error.get();
    }
  }

  // ---- REST
  // ---------------------------------------------------------------------------------------

  private Map<String, Latency> timeEndpoints(Options o, String id) throws Exception {
    String study = storeUrl + "/v1/studies/" + id;
    SplittableRandom r = new SplittableRandom(o.seed());
    Map<String, Latency> out = new LinkedHashMap<>();
    out.put("best", time(o.calls(), () -> study + "/best"));
    out.put("pareto", time(o.calls(), () -> study + "/pareto"));
    out.put(
        "trialsPage",
        time(
            o.calls(),
            () -> {
              int k = r.nextInt(Math.max(1, o.trials() - o.pageSize()));
              return study
                  + "/trials?limit="
                  + o.pageSize()
                  + (k == 0 ? "" : "&after=" + TrialIds.trialId(id, k - 1));
            }));
    out.put(
        "trialsPageLastEpoch",
        time(
            o.calls(),
            () -> {
              int k = r.nextInt(Math.max(1, o.trials() - o.pageSize()));
              return study
                  + "/trials?epochs=last&limit="
                  + o.pageSize()
                  + (k == 0 ? "" : "&after=" + TrialIds.trialId(id, k - 1));
            }));
    out.put(
        "curve",
        time(
            o.calls(),
            () -> study + "/trials/" + TrialIds.trialId(id, r.nextInt(o.trials())) + "/curve"));
    out.put("studyDetail", time(o.calls(), () -> study));
    out.put("studyList", time(o.calls(), () -> storeUrl + "/v1/studies"));
    out.forEach(
        (k, v) ->
            say.accept(
                String.format(
                    Locale.ROOT,
                    "%-20s p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (%d bytes)",
                    k,
                    v.p50Ms(),
                    v.p99Ms(),
                    v.maxMs(),
                    v.bytesLast())));
    return out;
  }

  private Latency time(int calls, java.util.function.Supplier<String> url) throws Exception {
    List<Double> ms = new ArrayList<>();
    long bytes = 0;
    for (int i = -5; i < calls; i++) { // five warm-up calls
      String u = url.get();
      long t = System.nanoTime();
      HttpResponse<byte[]> resp =
          timed.send(
              HttpRequest.newBuilder(URI.create(u))
                  .header("Accept", "application/json")
                  .timeout(Duration.ofSeconds(60))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      double elapsed = (System.nanoTime() - t) / 1e6;
      if (resp.statusCode() != 200) {
        throw new IllegalStateException(u + " answered " + resp.statusCode());
      }
      bytes = resp.body().length;
      if (i >= 0) {
        ms.add(elapsed);
      }
    }
    return Latency.of(ms, bytes);
  }

  // ---- the dashboard
  // ------------------------------------------------------------------------------

  private Browser dashboard(Options o, String id) {
    try (HeadlessChromium browser = new HeadlessChromium(o.chromium(), o.chromedriver())) {
      Duration wait = Duration.ofSeconds(60);
      Opening opening = open(browser, id, wait);
      Drawn drawn = Drawn.of(browser);
      List<Request> requests = requests(browser);
      // responsiveness: the next page after a click, then one trial's curve after a click on its
      // row
      double next = nextPage(browser, wait);
      double select = selectCurve(browser, wait);
      Browser b =
          new Browser(
              round(opening.table()),
              round(opening.charts()),
              round(next),
              round(select),
              drawn.rows(),
              drawn.curves(),
              drawn.front(),
              requests,
              null);
      say.accept(
          String.format(
              Locale.ROOT,
              "dashboard: table %.0f ms, charts %.0f ms after opening; next page %.0f ms, a curve %.0f ms after a click",
              b.openToTableMs(),
              b.openToChartsMs(),
              b.nextPageMs(),
              b.selectCurveMs()));
      return b;
    } catch (IOException | RuntimeException e) {
      say.accept("dashboard: " + e.getMessage());
      return new Browser(-1, -1, -1, -1, 0, 0, 0, List.of(), e.getMessage());
    }
  }

  /** Milliseconds from navigation to the trial table's first page and to the charts drawn. */
  private record Opening(double table, double charts) {}

  private Opening open(HeadlessChromium browser, String id, Duration wait) throws IOException {
    browser.open("about:blank");
    long t0 = System.nanoTime();
    browser.open(storeUrl + "/#/studies/" + id);
    double table =
        browser.await(
            "return document.body.dataset.renderedStudy === '"
                + id
                + "' && document.querySelectorAll('#trial-table tbody tr').length > 0",
            wait,
            t0);
    double charts =
        browser.await(
            "const c = window.echarts && echarts.getInstanceByDom(document.getElementById('pareto-chart'));"
                + "const s = c && c.getOption().series.find(s => s.id === 'front');"
                + "const k = window.echarts && echarts.getInstanceByDom(document.getElementById('curves-chart'));"
                + "return !!(s && s.data.length > 0 && k && k.getOption().series.length > 0);",
            wait,
            t0);
    return new Opening(table, charts);
  }

  /** The table's rows, the curves drawn and the Pareto front's points once the page opened. */
  private record Drawn(int rows, int curves, int front) {
    static Drawn of(HeadlessChromium browser) throws IOException {
      int rows =
          browser
              .script("return document.querySelectorAll('#trial-table tbody tr').length")
              .asInt();
      int curves =
          browser
              .script(
                  "return echarts.getInstanceByDom(document.getElementById('curves-chart')).getOption().series.length")
              .asInt();
      int front =
          browser
              .script(
                  "return echarts.getInstanceByDom(document.getElementById('pareto-chart')).getOption().series.find(s => s.id === 'front').data.length")
              .asInt();
      return new Drawn(rows, curves, front);
    }
  }

  /** The page's fetches so far, as the browser timed them. */
  private static List<Request> requests(HeadlessChromium browser) throws IOException {
    List<Request> requests = new ArrayList<>();
    for (JsonNode r :
        browser.script(
            "return performance.getEntriesByType('resource').map(e => {"
                + " const u = new URL(e.name);"
                + " return [u.pathname + u.search, e.startTime, e.duration, e.encodedBodySize]; })")) {
      requests.add(
          new Request(
              r.get(0).asText(),
              round(r.get(1).asDouble()),
              round(r.get(2).asDouble()),
              r.get(3).asLong()));
    }
    return requests;
  }

  /** Milliseconds from a click on "next" until the table shows another first row. */
  private static double nextPage(HeadlessChromium browser, Duration wait) throws IOException {
    String firstRow =
        browser
            .script("return document.querySelector('#trial-table tbody tr').dataset.trialId")
            .asText();
    long n0 = System.nanoTime();
    browser.script("document.getElementById('trials-next').click()");
    return browser.await(
        "const r = document.querySelector('#trial-table tbody tr');"
            + "return document.body.dataset.renderedPage !== '' && !!r && r.dataset.trialId !== '"
            + firstRow
            + "'",
        wait,
        n0);
  }

  /** Milliseconds from a click on the third row until its curve is drawn bold. */
  private static double selectCurve(HeadlessChromium browser, Duration wait) throws IOException {
    String row =
        browser
            .script(
                "return document.querySelector('#trial-table tbody tr:nth-child(3)').dataset.trialId")
            .asText();
    long c0 = System.nanoTime();
    browser.script(
        "document.querySelector(`#trial-table tbody tr[data-trial-id='${arguments[0]}']`).click()",
        row);
    return browser.await(
        "const c = echarts.getInstanceByDom(document.getElementById('curves-chart'));"
            + "const s = c.getOption().series.find(s => s.id === '"
            + row
            + "');"
            + "return !!(s && s.lineStyle.width === 3.5 && document.querySelector('#trial-table tr.selected'));",
        wait,
        c0);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static double round6(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
