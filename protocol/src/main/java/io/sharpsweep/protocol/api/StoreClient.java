package io.sharpsweep.protocol.api;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The results-store's query API ({@code GET /v1/studies/...}, {@code docs/queries.md}), typed: each
 * method answers the record the store serializes. Failures are {@link ApiException}s (404: unknown
 * study or trial; 400: a parameter the store refuses, named in {@link ApiException#errors()}).
 */
public final class StoreClient {
  /** The largest page {@code GET /v1/studies/{id}/trials} gives. */
  public static final int MAX_PAGE = 1000;

  private static final TypeReference<List<StudySummary>> SUMMARIES = new TypeReference<>() {};
  private static final TypeReference<List<TrialView>> TRIALS = new TypeReference<>() {};
  private static final TypeReference<List<ExportRow>> ROWS = new TypeReference<>() {};
  private static final Pattern NEXT_AFTER =
      Pattern.compile("<[^>]*[?&]after=([^&>]+)[^>]*>\\s*;\\s*rel=\"?next\"?");

  private final JsonHttp http;

  public StoreClient(JsonHttp http) {
    this.http = http;
  }

  /**
   * @param baseUrl e.g. {@code http://127.0.0.1:8082}
   * @param token the bearer token, or null when the store requires none
   */
  public static StoreClient of(String baseUrl, String token) {
    return new StoreClient(
        new JsonHttp(
            "the results-store", baseUrl, Duration.ofSeconds(60), Optional.ofNullable(token)));
  }

  public String baseUrl() {
    return http.baseUrl();
  }

  /** {@code GET /v1/studies}: every study, newest first. */
  public List<StudySummary> studies() {
    return http.get("/v1/studies", SUMMARIES);
  }

  /** {@code GET /v1/studies/{id}}. */
  public StudyDetail study(String studyId) {
    return http.get(study(studyId, ""), StudyDetail.class);
  }

  /**
   * {@code GET /v1/studies/{id}/trials}: one page of at most {@code limit} trials after trial
   * {@code after} (null for the first page).
   *
   * @param state only trials in this state, or null for all
   */
  public TrialPage trials(
      String studyId, int limit, String after, String state, TrialEpochs epochs) {
    JsonHttp.Answer a =
        http.get(
            study(studyId, "/trials")
                + JsonHttp.query(
                    "limit", limit, "after", after, "state", state, "epochs", epochs.wireName()));
    List<TrialView> trials = http.decode(a, TRIALS);
    int total =
        a.headers().firstValue("X-Total-Count").map(Integer::parseInt).orElse(trials.size());
    String next = null;
    for (String link : a.headers().allValues("Link")) {
      Matcher m = NEXT_AFTER.matcher(link);
      if (m.find()) {
        next = java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return new TrialPage(trials, total, next);
  }

  /** Every trial of the study, page after page, by number. */
  public List<TrialView> allTrials(String studyId, TrialEpochs epochs) {
    List<TrialView> out = new ArrayList<>();
    String after = null;
    do {
      TrialPage page = trials(studyId, MAX_PAGE, after, null, epochs);
      out.addAll(page.trials());
      after = page.nextAfter();
    } while (after != null);
    return out;
  }

  /** {@code GET /v1/studies/{id}/trials/{tid}}: the trial with every stored epoch report. */
  public TrialView trial(String studyId, String trialId) {
    return http.get(study(studyId, "/trials/" + JsonHttp.segment(trialId)), TrialView.class);
  }

  /** {@code GET /v1/studies/{id}/trials/{tid}/curve}. */
  public Curve curve(String studyId, String trialId) {
    return http.get(study(studyId, "/trials/" + JsonHttp.segment(trialId) + "/curve"), Curve.class);
  }

  /** {@code GET /v1/studies/{id}/trials/{tid}/curve?after=afterEpoch}: the epochs after it. */
  public Curve curve(String studyId, String trialId, int afterEpoch) {
    return http.get(
        study(studyId, "/trials/" + JsonHttp.segment(trialId) + "/curve?after=" + afterEpoch),
        Curve.class);
  }

  /** {@code GET /v1/studies/{id}/best} for the study's first objective. */
  public BestAnswer best(String studyId) {
    return best(studyId, null, null);
  }

  /**
   * {@code GET /v1/studies/{id}/best}.
   *
   * @param objective a metric, or null for the study's first objective
   * @param maxCost the cost cap (total sgd_epoch_equivalents), or null for none
   */
  public BestAnswer best(String studyId, String objective, Double maxCost) {
    return http.get(
        study(studyId, "/best") + JsonHttp.query("maxCost", maxCost, "objective", objective),
        BestAnswer.class);
  }

  /**
   * {@code GET /v1/studies/{id}/pareto}.
   *
   * @param x the metric on the x axis, or null for the store's choice (likewise {@code y})
   */
  public ParetoAnswer pareto(String studyId, String x, String y) {
    return http.get(study(studyId, "/pareto") + JsonHttp.query("x", x, "y", y), ParetoAnswer.class);
  }

  /** {@code GET /v1/studies/{id}/rungs}. */
  public RungsAnswer rungs(String studyId) {
    return http.get(study(studyId, "/rungs"), RungsAnswer.class);
  }

  /** {@code GET /v1/studies/{id}/export?format=json}: one row per trial. */
  public List<ExportRow> export(String studyId) {
    return http.get(study(studyId, "/export") + JsonHttp.query("format", "json"), ROWS);
  }

  /**
   * {@code GET /v1/studies/{id}/export} as the store writes it: {@code csv} or {@code json} text.
   */
  public String exportText(String studyId, String format) {
    return http.getText(
        study(studyId, "/export") + JsonHttp.query("format", format),
        format.equals("csv") ? "text/csv" : "application/json");
  }

  /**
   * {@code GET /v1/studies/{id}/importance}.
   *
   * @param objective the metric to explain, or null for the study's first objective
   */
  public ImportanceAnswer importance(String studyId, String objective) {
    return http.get(
        study(studyId, "/importance") + JsonHttp.query("objective", objective),
        ImportanceAnswer.class);
  }

  /** {@code GET /v1/studies/{id}/variants}. */
  public VariantsAnswer variants(String studyId) {
    return http.get(study(studyId, "/variants"), VariantsAnswer.class);
  }

  private static String study(String studyId, String rest) {
    return "/v1/studies/" + JsonHttp.segment(studyId) + rest;
  }
}
