package io.sharpsweep.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.EndStudy;
import io.sharpsweep.protocol.control.Heartbeat;
import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.protocol.control.LeaseEnd;
import io.sharpsweep.protocol.control.LeaseRequest;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.sharpsweep.protocol.messages.SegmentAssignment;
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
import io.sharpsweep.protocol.study.WarmStart;
import io.sharpsweep.store.control.SegmentState;
import io.sharpsweep.store.db.DatabaseKind;
import io.sharpsweep.store.db.LeaseGrant;
import io.sharpsweep.store.db.SegmentRepository;
import io.sharpsweep.store.db.SegmentRow;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.ingest.Ingested;
import io.sharpsweep.store.ingest.ReportIngestion;
import io.sharpsweep.store.service.ControlPlane;
import io.sharpsweep.store.service.ControlQueries;
import io.sharpsweep.store.service.LeaseDesk;
import io.sharpsweep.store.service.StoreClock;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane end to end over REST, with reports through the real broker: study creation,
 * trials, the suggest context, and the lease lifecycle (acquire, heartbeat, expiry with and without
 * progress, release, complete then report, failure and retry, concurrent acquirers, the long poll),
 * cancel and completion. Each test first cancels every running study, so that only its own segments
 * are queued.
 */
abstract class ControlPlaneScenarios {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  static KafkaTestClient kafka;

  @Inject StoreClock clock;
  @Inject LeaseDesk desk;
  @Inject StoreDatabase database;
  @Inject ControlPlane plane;

  @Inject
  @DataSource("h2")
  InjectableInstance<AgroalDataSource> h2;

  @Inject
  @DataSource("postgresql")
  InjectableInstance<AgroalDataSource> postgresql;

  @BeforeAll
  static void connect() {
    kafka = new KafkaTestClient();
  }

  @AfterAll
  static void disconnect() {
    kafka.close();
  }

  @BeforeEach
  void onlyThisTestsStudiesRun() {
    clock.use(Clock.systemUTC());
    for (String id : given().get("/v1/control/studies").jsonPath().getList("id", String.class)) {
      post("/v1/control/studies/" + id + "/cancel", new EndStudy("test isolation"));
    }
  }

  @AfterEach
  void realTime() {
    clock.use(Clock.systemUTC());
  }

  @Test
  void aStudyIsCreatedOnceByIdAndAnotherSpecIsAConflict() {
    String id = newId();
    StudySpec spec = spec("none", 4, 2, 2);
    JsonPath created =
        post("/v1/control/studies", new CreateStudy(id, spec, 1000))
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    assertThat(created.getString("state")).isEqualTo("running");
    assertThat(created.getInt("created")).isZero();
    assertThat(created.getInt("budget.trials")).isEqualTo(4);
    assertThat(created.getString("scheduler")).isEqualTo("none");
    assertThat(created.getLong("createdAt")).isEqualTo(1000);
    post("/v1/control/studies", new CreateStudy(id, spec, 2000))
        .then()
        .statusCode(200)
        .body("id", org.hamcrest.Matchers.equalTo(id));
    post("/v1/control/studies", new CreateStudy(id, spec("none", 5, 2, 2), 1000))
        .then()
        .statusCode(409)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("spec"));
    post("/v1/control/studies", new CreateStudy(newId(), null, 0))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("spec"));
    post("/v1/control/studies", new CreateStudy(newId(), spec("asha-bad", 4, 2, 2), 0))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("spec.scheduler"));
    given()
        .get("/v1/control/studies/nope")
        .then()
        .statusCode(404)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("id"));
    given()
        .get("/v1/studies/" + id)
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.equalTo("running"));
  }

  @Test
  void trialsAreTheNextNumbersWithinTheBudgetAndGetFirstSegments() {
    String id = study(spec("none", 3, 2, 2));
    JsonPath ctx =
        given()
            .get("/v1/control/studies/" + id + "/suggest-context")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(ctx.getInt("firstNumber")).isZero();
    assertThat(ctx.getInt("request.count")).isEqualTo(2);
    assertThat(given().get("/v1/control/wanting").jsonPath().getList("", String.class))
        .contains(id);
    post("/v1/control/studies/" + id + "/trials", trials(1, 1))
        .then()
        .statusCode(409)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("firstNumber"));
    JsonPath status =
        post("/v1/control/studies/" + id + "/trials", trials(0, 2))
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    assertThat(status.getInt("created")).isEqualTo(2);
    assertThat(status.getInt("waiting")).isEqualTo(2);
    assertThat(status.getList("inFlight", String.class))
        .containsExactly(TrialIds.trialId(id, 0), TrialIds.trialId(id, 1));
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(204);
    assertThat(given().get("/v1/control/wanting").jsonPath().getList("", String.class))
        .doesNotContain(id);
    post("/v1/control/studies/" + id + "/trials", trials(2, 2))
        .then()
        .statusCode(409)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("params"));
    post("/v1/control/studies/" + id + "/trials", trials(0, 1)).then().statusCode(409);
    JsonPath queue = given().get("/v1/control/queue").jsonPath();
    assertThat(queue.getInt("queued")).isEqualTo(2);
    assertThat(queue.getInt("wanted")).isEqualTo(queue.getInt("queued") + queue.getInt("leased"));
  }

  @Test
  void threeHundredTrialsInOneCallAreDescribedAndQueuedAndARepeatIsRefused() {
    StudySpec spec = spec("hyperband", 300, 300, 2);
    String id = study(spec);
    String other = study(spec("none", 1, 1, 2));
    String foreign = TrialIds.trialId(id, 150);
    database.inTransaction(
        "a row of another study under one of the call's trial ids",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO trials (trial_id, study_id, state, attempt, created_at, updated_at)"
                      + " VALUES (?, ?, 'running', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
            ps.setString(1, foreign);
            ps.setString(2, other);
            return ps.executeUpdate();
          }
        });
    post("/v1/control/studies/" + id + "/trials", trials(0, 300))
        .then()
        .statusCode(409)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("firstNumber"))
        .body(
            "errors[0].message",
            org.hamcrest.Matchers.equalTo("trial " + foreign + " belongs to another study"));
    assertThat(trialRows(id)).isEmpty();
    assertThat(segmentRows(id)).isEmpty();
    assertThat(status(id).getInt("created")).isZero();
    database.inTransaction(
        "removing the other study's row",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM trials WHERE trial_id = ?")) {
            ps.setString(1, foreign);
            return ps.executeUpdate();
          }
        });

    JsonPath created =
        post("/v1/control/studies/" + id + "/trials", trials(0, 300))
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    assertThat(created.getInt("created")).isEqualTo(300);
    assertThat(status(id).getInt("created")).isEqualTo(300);
    List<String> expectedTrials = new ArrayList<>();
    List<String> expectedSegments = new ArrayList<>();
    io.sharpsweep.protocol.study.FidelityLadder ladder =
        io.sharpsweep.protocol.study.FidelityLadder.of(spec);
    Set<Integer> firstEpochs = new HashSet<>();
    for (int n = 0; n < 300; n++) {
      double lr = 0.1 * (n + 1);
      expectedTrials.add(
          TrialIds.trialId(id, n)
              + " "
              + n
              + " running 1 "
              + Map.of("lr", lr)
              + " "
              + new java.util.TreeMap<>(Map.of("batch-size", 128, "lr", lr)));
      expectedSegments.add(
          TrialIds.trialId(id, n) + " 1 0 " + ladder.firstEpoch(n) + " queued -1 null");
      firstEpochs.add(ladder.firstEpoch(n));
    }
    assertThat(firstEpochs).as("the brackets' first rungs differ").hasSizeGreaterThan(1);
    assertThat(trialRows(id)).containsExactlyElementsOf(expectedTrials);
    assertThat(segmentRows(id)).as("in number order").containsExactlyElementsOf(expectedSegments);

    post("/v1/control/studies/" + id + "/trials", trials(0, 300))
        .then()
        .statusCode(409)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("firstNumber"))
        .body(
            "errors[0].message",
            org.hamcrest.Matchers.equalTo("must be the study's next trial number 300, got 0"));
    assertThat(trialRows(id)).containsExactlyElementsOf(expectedTrials);
    assertThat(segmentRows(id)).containsExactlyElementsOf(expectedSegments);
    assertThat(status(id).getInt("created")).isEqualTo(300);
  }

  /** The study's trials as "id number state attempt params config", by number. */
  @SuppressWarnings("unchecked")
  private List<String> trialRows(String studyId) {
    return database.read(
        "trial rows",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT trial_id, number, state, attempt, params, config FROM trials"
                      + " WHERE study_id = ? ORDER BY number, trial_id")) {
            ps.setString(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
              List<String> out = new ArrayList<>();
              while (rs.next()) {
                out.add(
                    rs.getString("trial_id")
                        + " "
                        + rs.getObject("number")
                        + " "
                        + rs.getString("state")
                        + " "
                        + rs.getInt("attempt")
                        + " "
                        + Json.decode(rs.getString("params"), Map.class)
                        + " "
                        + new java.util.TreeMap<>(Json.decode(rs.getString("config"), Map.class)));
              }
              return out;
            }
          }
        });
  }

  /** The study's segments as "trial attempt fromEpoch toEpoch state priority checkpoint", by id. */
  private List<String> segmentRows(String studyId) {
    return database.read(
        "segment rows",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT trial_id, attempt, from_epoch, to_epoch, state, priority, checkpoint_uri"
                      + " FROM segments WHERE study_id = ? ORDER BY id")) {
            ps.setString(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
              List<String> out = new ArrayList<>();
              while (rs.next()) {
                out.add(
                    rs.getString("trial_id")
                        + " "
                        + rs.getInt("attempt")
                        + " "
                        + rs.getInt("from_epoch")
                        + " "
                        + rs.getInt("to_epoch")
                        + " "
                        + rs.getString("state")
                        + " "
                        + rs.getInt("priority")
                        + " "
                        + rs.getString("checkpoint_uri"));
              }
              return out;
            }
          }
        });
  }

  @Test
  void aLeaseIsRenewedCompletedAndDoneWhenItsLastReportArrives() {
    String id = study(spec("none", 1, 1, 2));
    addTrials(id, 0, 1);
    JsonPath lease = acquire("w-1", 0);
    String trial = TrialIds.trialId(id, 0);
    assertThat(lease.getString("assignment.trialId")).isEqualTo(trial);
    assertThat(lease.getInt("assignment.attempt")).isEqualTo(1);
    assertThat(lease.getInt("assignment.fromEpoch")).isZero();
    assertThat(lease.getInt("assignment.toEpoch")).isEqualTo(3);
    assertThat(lease.getInt("assignment.maxEpochs")).isEqualTo(3);
    assertThat(lease.getInt("assignment.config.batch-size")).isEqualTo(128);
    assertThat(lease.getDouble("assignment.config.lr")).isEqualTo(0.1);
    assertThat(lease.getLong("assignment.seed")).isEqualTo(TrialIds.trialSeed(1L, 0));
    assertThat(lease.getLong("ttlMillis")).isEqualTo(6000);
    assertThat(lease.getLong("heartbeatMillis")).isEqualTo(2000);
    String leaseId = lease.getString("leaseId");
    long renewed =
        post(leases(leaseId, "heartbeat"), new Heartbeat("w-1", 1, "ckpt/1"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getLong("expiresAt");
    assertThat(renewed).isGreaterThanOrEqualTo(lease.getLong("expiresAt"));
    for (int e = 1; e <= 3; e++) {
      send(report(id, trial, 1, e, e == 3));
    }
    post(leases(leaseId, "complete"), new LeaseEnd("w-1", 3, "ckpt/3", null))
        .then()
        .statusCode(204);
    awaitStatus(id, j -> "completed".equals(j.getString("state")));
    assertThat(leaseRows(id)).containsExactly("w-1 completed 0 3");
    post(leases(leaseId, "heartbeat"), new Heartbeat("w-1", 3, "ckpt/3"))
        .then()
        .statusCode(409)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("leaseId"));
    given()
        .get("/v1/studies/" + id)
        .then()
        .body("state", org.hamcrest.Matchers.equalTo("completed"))
        .body("trials.completed", org.hamcrest.Matchers.equalTo(1));
  }

  /**
   * What a trial's final report in a {@code none} study costs in statements, counted on the store's
   * own connections: its report and status, its rung result and decision (on PostgreSQL the rows
   * come back from the inserts), its segment's close, the study's completion check; nothing is read
   * back that the transaction already holds. Redelivered, it changes and decides nothing.
   */
  @Test
  void aFinalReportsConsequencesReadNothingTheTransactionAlreadyHolds() {
    String id = study(spec("none", 2, 2, 2));
    addTrials(id, 0, 2);
    JsonPath lease = acquire("w-counted", 0); // the other trial stays queued: the study goes on
    String trial = lease.getString("assignment.trialId");
    String leaseId = lease.getString("leaseId");
    List<String> statements = new ArrayList<>();
    StoreDatabase counted =
        new StoreDatabase(
            counting(database.kind() == DatabaseKind.H2 ? h2.get() : postgresql.get(), statements),
            database.kind());
    ReportIngestion ingestion =
        new ReportIngestion(new ControlPlane(counted, plane.settings(), clock));
    for (int e = 1; e <= 2; e++) {
      ingestion.ingest(report(id, trial, 1, e, 0.5, false, "w-counted", leaseId));
    }
    statements.clear();
    Ingested last = ingestion.ingest(report(id, trial, 1, 3, 0.5, true, "w-counted", leaseId));

    assertThat(last.outcome()).isEqualTo(Ingested.Outcome.STORED);
    assertThat(last.decisions())
        .extracting(d -> d.decision().trialId() + " " + d.decision().action().wireName())
        .containsExactly(trial + " complete");
    assertThat(last.effects().freed()).isTrue();
    assertThat(last.effects().studyEnded()).isFalse();
    boolean pg = database.kind() == DatabaseKind.POSTGRESQL;
    // lock the study, lock the trial, its lease (no stored keys: the trial's row shows epoch 3
    // new);
    // (PostgreSQL: COPY, not prepared; H2: INSERT) the report, the study's count, the trial's
    // status; insert the rung result and the decision (H2: each read back); the chunk's active
    // segments; the control plane's: the trial's active segment, its lock, its latest checkpoint,
    // the lease's end, the close, any active segment of the study; the unpublished decisions and
    // their reports
    assertThat(statements).hasSize(pg ? 16 : 19);
    assertThat(statements)
        .noneMatch(q -> q.startsWith("SELECT trial_id, attempt, epoch FROM epoch_reports"))
        .noneMatch(q -> q.contains("FROM trials WHERE trial_id = ? AND study_id = ?"))
        .noneMatch(q -> q.contains("FROM studies WHERE id = ?") && !q.contains("FOR UPDATE"))
        .filteredOn(q -> q.contains("FROM segments WHERE trial_id = ?"))
        .hasSize(1);
    if (pg) {
      assertThat(statements)
          .noneMatch(q -> q.startsWith("SELECT") && q.contains("FROM rung_results"))
          .noneMatch(q -> q.startsWith("SELECT") && q.contains("FROM decisions WHERE trial_id"));
    }
    trialIs(id, trial.equals(TrialIds.trialId(id, 0)) ? 0 : 1, "completed", 1);
    JsonPath status = status(id);
    assertThat(status.getString("state")).isEqualTo("running");
    assertThat(status.getInt("running")).isZero();
    assertThat(status.getInt("waiting")).isEqualTo(1);
    assertThat(leaseRows(id)).containsExactly("w-counted completed 0 3");

    Ingested again = ingestion.ingest(report(id, trial, 1, 3, 0.5, true, "w-counted", leaseId));
    assertThat(again.outcome()).isEqualTo(Ingested.Outcome.DUPLICATE);
    assertThat(again.decisions()).extracting(d -> d.decision().trialId()).containsExactly(trial);
    assertThat(again.effects()).isEqualTo(io.sharpsweep.store.service.Effects.NONE);
  }

  @Test
  void aStoredReportItsTrialsRowDoesNotShowIsStillADuplicate() {
    String id = study(spec("none", 2, 2, 2));
    addTrials(id, 0, 2);
    JsonPath lease = acquire("w-behind", 0);
    String trial = lease.getString("assignment.trialId");
    String leaseId = lease.getString("leaseId");
    ReportIngestion ingestion = new ReportIngestion(plane);
    for (int e = 1; e <= 2; e++) {
      ingestion.ingest(report(id, trial, 1, e, 0.5, false, "w-behind", leaseId));
    }
    // the trial's row forgets epoch 2, which no path of the store does: the chunk takes the
    // redelivered report for new, the insert finds it, and the chunk runs again asking for every
    // key
    database.inTransaction(
        "rewinding a trial's last epoch",
        c -> {
          try (var ps = c.prepareStatement("UPDATE trials SET last_epoch = 1 WHERE trial_id = ?")) {
            ps.setString(1, trial);
            return ps.executeUpdate();
          }
        });
    Ingested again = ingestion.ingest(report(id, trial, 1, 2, 0.9, false, "w-behind", leaseId));
    assertThat(again.outcome()).isEqualTo(Ingested.Outcome.DUPLICATE);
    List<String> stored =
        database.read(
            "reading the trial's reports",
            c -> {
              try (var ps =
                  c.prepareStatement(
                      "SELECT epoch, val_accuracy FROM epoch_reports WHERE trial_id = ?"
                          + " ORDER BY epoch")) {
                ps.setString(1, trial);
                List<String> rows = new ArrayList<>();
                try (var rs = ps.executeQuery()) {
                  while (rs.next()) {
                    rows.add(rs.getInt(1) + " " + rs.getDouble(2));
                  }
                }
                return rows;
              }
            });
    assertThat(stored).containsExactly("1 0.5", "2 0.5");
  }

  /** {@code dataSource} whose connections add the SQL of every statement they prepare. */
  private static javax.sql.DataSource counting(javax.sql.DataSource dataSource, List<String> sql) {
    return (javax.sql.DataSource)
        Proxy.newProxyInstance(
            ControlPlaneScenarios.class.getClassLoader(),
            new Class<?>[] {javax.sql.DataSource.class},
            (proxy, method, args) -> {
              Object out = call(method, dataSource, args);
              if (!method.getName().equals("getConnection")) {
                return out;
              }
              Connection c = (Connection) out;
              return Proxy.newProxyInstance(
                  ControlPlaneScenarios.class.getClassLoader(),
                  new Class<?>[] {Connection.class},
                  (p, m, a) -> {
                    if (m.getName().equals("prepareStatement")
                        || m.getName().equals("createStatement")) {
                      sql.add(a == null || a.length == 0 ? m.getName() : String.valueOf(a[0]));
                    }
                    return call(m, c, a);
                  });
            });
  }

  private static Object call(java.lang.reflect.Method m, Object target, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void completeBeforeTheLastReportWaitsInFinishing() {
    String id = study(spec("none", 1, 1, 2));
    addTrials(id, 0, 1);
    String leaseId = acquire("w-1", 0).getString("leaseId");
    post(leases(leaseId, "complete"), new LeaseEnd("w-1", 3, "ckpt/3", null))
        .then()
        .statusCode(204);
    JsonPath s = status(id);
    assertThat(s.getInt("running")).isEqualTo(1); // finishing holds the slot
    assertThat(s.getString("state")).isEqualTo("running");
    send(report(id, TrialIds.trialId(id, 0), 1, 3, true));
    awaitStatus(id, j -> "completed".equals(j.getString("state")) && j.getInt("running") == 0);
  }

  @Test
  void aCompleteThatAsksForTheNextLeaseGetsTheNextSegmentInTheSameRequest() {
    String id = study(spec("none", 2, 2, 2));
    addTrials(id, 0, 2);
    JsonPath first = acquire("w-1", 0);
    String firstLease = first.getString("leaseId");
    // a request without a worker is refused before anything changes
    post(complete(firstLease, 0), new LeaseEnd(null, 3, "ckpt/3", null))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("workerId"));
    post(
            leases(firstLease, "complete") + "?nextWaitSeconds=soon",
            new LeaseEnd("w-1", 3, "c", null))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("nextWaitSeconds"));
    assertThat(leaseRows(id)).containsExactly("w-1 null 0 null"); // still leased
    JsonPath next =
        post(complete(firstLease, 1), new LeaseEnd("w-1", 3, "ckpt/3", null))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(next.getString("workerId")).isEqualTo("w-1");
    assertThat(next.getString("leaseId")).isNotEqualTo(firstLease);
    assertThat(next.getString("assignment.trialId"))
        .isNotEqualTo(first.getString("assignment.trialId"));
    // nothing is queued any more: completed, and no lease within the wait
    post(complete(next.getString("leaseId"), 0), new LeaseEnd("w-1", 3, "ckpt/3", null))
        .then()
        .statusCode(204);
    // a lease the store does not know is 409, and leases nothing
    post(complete("no-such-lease", 0), new LeaseEnd("w-1", 3, "ckpt/3", null))
        .then()
        .statusCode(409);
    send(report(id, TrialIds.trialId(id, 0), 1, 3, true));
    send(report(id, TrialIds.trialId(id, 1), 1, 3, true));
    awaitStatus(id, j -> "completed".equals(j.getString("state")) && j.getInt("running") == 0);
    assertThat(leaseRows(id)).containsExactly("w-1 completed 0 3", "w-1 completed 0 3");
  }

  private static String complete(String leaseId, int nextWaitSeconds) {
    return leases(leaseId, "complete") + "?nextWaitSeconds=" + nextWaitSeconds;
  }

  @Test
  void completeBeforeTheLastReportDoesNotWaitForTheStudysLock() throws Exception {
    String id = study(spec("none", 1, 1, 2));
    addTrials(id, 0, 1);
    String leaseId = acquire("w-1", 0).getString("leaseId");
    whileTheStudyIsLocked(
        id,
        () ->
            post(leases(leaseId, "complete"), new LeaseEnd("w-1", 3, "ckpt/3", null))
                .then()
                .statusCode(204));
    assertThat(status(id).getInt("running")).isEqualTo(1); // finishing holds the slot
    send(report(id, TrialIds.trialId(id, 0), 1, 3, true));
    awaitStatus(id, j -> "completed".equals(j.getString("state")) && j.getInt("running") == 0);
    assertThat(leaseRows(id)).containsExactly("w-1 completed 0 3");
  }

  @Test
  void aLeaseIsGrantedWhileTheStudysLockIsHeldAndWithinItsParallelism() throws Exception {
    String id = study(spec("none", 3, 2, 2));
    addTrials(id, 0, 3);
    String[] granted = new String[2];
    whileTheStudyIsLocked(
        id,
        () -> {
          granted[0] = acquire("w-1", 0).getString("assignment.trialId");
          granted[1] = acquire("w-2", 0).getString("assignment.trialId");
          // parallelism 2: the third trial's segment waits, though it is queued
          post("/v1/leases", new LeaseRequest("w-3", 0)).then().statusCode(204);
        });
    assertThat(granted).containsExactly(TrialIds.trialId(id, 0), TrialIds.trialId(id, 1));
  }

  /**
   * Runs {@code calls} while another transaction holds the study's row lock (as the study's
   * ingestion and control calls do), and fails unless they finished before that lock was let go.
   */
  private void whileTheStudyIsLocked(String id, Runnable calls) throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch answered = new CountDownLatch(1);
    CompletableFuture<Boolean> holder =
        CompletableFuture.supplyAsync(
            () ->
                database.inTransaction(
                    "holding the study's lock",
                    c -> {
                      try (PreparedStatement ps =
                          c.prepareStatement("SELECT id FROM studies WHERE id = ? FOR UPDATE")) {
                        ps.setString(1, id);
                        ps.executeQuery().close();
                      }
                      locked.countDown();
                      try {
                        return answered.await(60, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                      }
                    }));
    assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
    try {
      calls.run();
    } finally {
      answered.countDown();
    }
    assertThat(holder.get(60, TimeUnit.SECONDS))
        .as("the calls answered while the study's lock was held")
        .isTrue();
  }

  @Test
  void aLeaseAheadIsGrantedWhenNoWorkerWaitsAndCountsAgainstParallelism() {
    String id = study(spec("none", 3, 2, 2));
    addTrials(id, 0, 3);
    String current = acquire("w-1", 0).getString("leaseId");
    JsonPath ahead = ahead("w-1", 200).jsonPath();
    assertThat(ahead.getString("workerId")).isEqualTo("w-1");
    assertThat(ahead.getString("assignment.trialId")).isEqualTo(TrialIds.trialId(id, 1));
    assertThat(ahead.getString("leaseId")).isNotEqualTo(current);
    // parallelism 2: the third trial's segment stays queued, ahead or not
    ahead("w-2", 204);
    post("/v1/leases", new LeaseRequest("w-3", 0)).then().statusCode(204);
    JsonPath s = status(id);
    assertThat(s.getInt("running")).isEqualTo(2);
    assertThat(s.getInt("waiting")).isEqualTo(1);
    // a normal lease from here on: renewed alongside the current one, completed after it
    String next = ahead.getString("leaseId");
    post(leases(current, "heartbeat"), new Heartbeat("w-1", 1, "ckpt/1")).then().statusCode(200);
    post(leases(next, "heartbeat"), new Heartbeat("w-1", null, null)).then().statusCode(200);
    post(leases(current, "complete"), new LeaseEnd("w-1", 2, "ckpt/2", null))
        .then()
        .statusCode(204);
    assertThat(leaseRows(id)).containsExactlyInAnyOrder("w-1 completed 0 3", "w-1 null 0 null");
  }

  @Test
  void aLeaseAheadIsRefusedWhileAnIdleWorkerWaitsInLine() throws Exception {
    String id = study(spec("none", 3, 3, 2));
    addTrials(id, 0, 1);
    acquire("w-1", 0);
    int before = desk.waitingRequests();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Response> idle = pool.submit(() -> post("/v1/leases", new LeaseRequest("w-2", 20)));
      await().atMost(PATIENCE).until(() -> desk.waitingRequests() == before + 1);
      ahead("w-1", 204);
      // a request ahead is not an idle worker: the line still holds only w-2
      assertThat(desk.waitingRequests()).isEqualTo(before + 1);
      addTrials(id, 1, 1);
      Response r = idle.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.jsonPath().getString("assignment.trialId")).isEqualTo(TrialIds.trialId(id, 1));
    } finally {
      pool.shutdownNow();
    }
    // nobody waits now: the next segment may go ahead
    addTrials(id, 2, 1);
    assertThat(ahead("w-1", 200).jsonPath().getString("assignment.trialId"))
        .isEqualTo(TrialIds.trialId(id, 2));
  }

  @Test
  void aLeaseAheadThatExpiresUnstartedIsQueuedAgainUncharged() {
    String id = study(spec("none", 2, 2, 2));
    addTrials(id, 0, 2);
    String current = acquire("w-1", 0).getString("leaseId");
    String next = ahead("w-1", 200).jsonPath().getString("leaseId");
    // the worker still trains its current segment: it renews the one ahead as not started
    post(leases(next, "heartbeat"), new Heartbeat("w-1", null, null, false)).then().statusCode(200);
    advance(10);
    desk.reap(); // the worker died: its current lease is charged, the one ahead is not
    trialIs(id, 0, "running", 2);
    trialIs(id, 1, "running", 1);
    JsonPath s = status(id);
    assertThat(s.getInt("running")).isZero();
    assertThat(s.getInt("waiting")).isEqualTo(2);
    // a late start signal is refused as a late renewal is
    post(leases(next, "heartbeat"), new Heartbeat("w-1", null, null, true)).then().statusCode(409);
    post(leases(current, "heartbeat"), new Heartbeat("w-1", null, null)).then().statusCode(409);
    // the lease ahead ended as a hand-back, the current one as a loss
    assertThat(leaseRows(id)).containsExactly("w-1 lost 0 null", "w-1 released 0 0");
    // the unstarted segment kept its place in the queue: it goes first, still attempt 1
    JsonPath again = acquire("w-2", 0);
    assertThat(again.getString("assignment.trialId")).isEqualTo(TrialIds.trialId(id, 1));
    assertThat(again.getInt("assignment.attempt")).isEqualTo(1);
    assertThat(again.getInt("assignment.fromEpoch")).isZero();
  }

  @Test
  void aLeaseAheadStartedThenExpiredWithoutProgressIsChargedAsAnyLease() {
    String id = study(spec("none", 2, 2, 2));
    addTrials(id, 0, 2);
    String current = acquire("w-1", 0).getString("leaseId");
    String next = ahead("w-1", 200).jsonPath().getString("leaseId");
    post(leases(next, "heartbeat"), new Heartbeat("w-1", null, null, false)).then().statusCode(200);
    // the worker starts the segment held ahead: its next heartbeat says so; then it dies
    post(leases(next, "heartbeat"), new Heartbeat("w-1", null, null, true)).then().statusCode(200);
    advance(10);
    desk.reap(); // both lost without progress, both charged
    trialIs(id, 0, "running", 2);
    trialIs(id, 1, "running", 2);
    post(leases(next, "heartbeat"), new Heartbeat("w-1", null, null)).then().statusCode(409);
    post(leases(current, "heartbeat"), new Heartbeat("w-1", null, null)).then().statusCode(409);
    assertThat(leaseRows(id)).containsExactly("w-1 lost 0 null", "w-1 lost 0 null");
    JsonPath again = acquire("w-2", 0);
    assertThat(again.getInt("assignment.attempt")).isEqualTo(2);
  }

  @Test
  void aLeaseAheadIsHandedBackUnchargedWhenTheWorkerShutsDown() {
    String id = study(spec("none", 2, 2, 2));
    addTrials(id, 0, 2);
    String current = acquire("w-1", 0).getString("leaseId");
    String next = ahead("w-1", 200).jsonPath().getString("leaseId");
    post(leases(current, "release"), new LeaseEnd("w-1", 1, "ckpt/1", "worker shutting down"))
        .then()
        .statusCode(204);
    post(leases(next, "release"), new LeaseEnd("w-1", null, null, "worker shutting down"))
        .then()
        .statusCode(204);
    trialIs(id, 0, "running", 1);
    trialIs(id, 1, "running", 1);
    JsonPath a = acquire("w-2", 0);
    JsonPath b = acquire("w-3", 0);
    assertThat(List.of(a.getInt("assignment.attempt"), b.getInt("assignment.attempt")))
        .containsExactly(1, 1);
    assertThat(Set.of(a.getString("assignment.trialId"), b.getString("assignment.trialId")))
        .containsExactlyInAnyOrder(TrialIds.trialId(id, 0), TrialIds.trialId(id, 1));
    assertThat(leaseRows(id).stream().filter(r -> r.startsWith("w-1 ")))
        .containsExactlyInAnyOrder("w-1 released 0 1", "w-1 released 0 0");
  }

  /** A request ahead of {@code worker}'s current segment's end, answered with {@code status}. */
  private static Response ahead(String worker, int status) {
    Response r = post("/v1/leases", LeaseRequest.ahead(worker));
    r.then().statusCode(status);
    return r;
  }

  @Test
  void anExpiryWithoutProgressIsChargedAndTheLastOneFailsTheTrial() {
    String id = study(spec("none", 1, 1, 2));
    addTrials(id, 0, 1);
    String first = acquire("w-a", 0).getString("leaseId");
    advance(10);
    desk.reap();
    JsonPath s = status(id);
    assertThat(s.getInt("waiting")).isEqualTo(1);
    trialIs(id, 0, "running", 2);
    post(leases(first, "heartbeat"), new Heartbeat("w-a", null, null)).then().statusCode(409);
    JsonPath second = acquire("w-b", 0);
    assertThat(second.getInt("assignment.attempt")).isEqualTo(2);
    assertThat(second.getInt("assignment.fromEpoch")).isZero();
    advance(20);
    desk.reap();
    trialIs(id, 0, "failed", 2);
    assertThat(trialReason(id, 0)).isEqualTo("worker w-b lost (lease expired without progress)");
    assertThat(leaseRows(id)).containsExactly("w-a lost 0 null", "w-b lost 0 null");
    assertThat(status(id).getString("state")).isEqualTo("completed");
  }

  @Test
  void anExpiryAfterProgressResumesFromTheLatestCheckpointUncharged() {
    String id = study(spec("none", 1, 1, 2));
    addTrials(id, 0, 1);
    String leaseId = acquire("w-a", 0).getString("leaseId");
    post(leases(leaseId, "heartbeat"), new Heartbeat("w-a", 2, "ckpt/2")).then().statusCode(200);
    advance(10);
    desk.reap();
    trialIs(id, 0, "running", 1);
    JsonPath again = acquire("w-b", 0);
    assertThat(again.getInt("assignment.attempt")).isEqualTo(1);
    assertThat(again.getInt("assignment.fromEpoch")).isEqualTo(2);
    assertThat(again.getString("assignment.checkpointUri")).isEqualTo("ckpt/2");
    assertThat(leaseRows(id)).containsExactly("w-a expired 0 2", "w-b null 2 null");
  }

  @Test
  void lateReportsOfALostLeaseAreFencedAndEveryEpochIsStoredOnce() {
    String id = study(spec("none", 1, 1, 2));
    addTrials(id, 0, 1);
    String trial = TrialIds.trialId(id, 0);
    String l1 = acquire("w-a", 0).getString("leaseId");
    advance(10);
    desk.reap(); // no progress: lost, charged, attempt 2 trains from epoch 0
    String l2 = acquire("w-b", 0).getString("leaseId");
    // w-a's epoch 1, delayed in Kafka past its lease, arrives before and after w-b's
    send(report(id, trial, 1, 1, 0.9, false, "w-a", l1));
    send(report(id, trial, 2, 1, 0.5, false, "w-b", l2));
    send(report(id, trial, 1, 1, 0.9, false, "w-a", l1));
    send(report(id, trial, 2, 2, 0.6, false, "w-b", l2));
    await()
        .atMost(PATIENCE)
        .until(() -> trial(id, 0).getList("epochs.epoch", Integer.class).contains(2));
    JsonPath t = trial(id, 0);
    assertThat(t.getList("epochs.epoch", Integer.class)).containsExactly(1, 2);
    assertThat(t.getList("epochs.attempt", Integer.class)).containsExactly(2, 2);
    assertThat(t.getList("epochs.workerId", String.class)).containsExactly("w-b", "w-b");
    assertThat(fenceEpochs(id)).containsExactly("w-a lost 0", "w-b null null");
  }

  @Test
  void anExpiredLeasesReportsUpToItsCheckpointCountAndLaterOnesAreFenced() {
    String id = study(spec("none", 1, 1, 2));
    addTrials(id, 0, 1);
    String trial = TrialIds.trialId(id, 0);
    String l1 = acquire("w-a", 0).getString("leaseId");
    post(leases(l1, "heartbeat"), new Heartbeat("w-a", 1, "ckpt/1")).then().statusCode(200);
    advance(10);
    desk.reap(); // expired after epoch 1: the same attempt goes on from epoch 1, uncharged
    String l2 = acquire("w-b", 0).getString("leaseId");
    // w-a's epochs 1 (checkpointed under its lease) and 2 (trained after its last heartbeat)
    // arrive only now; epoch 2 is w-b's to train
    send(report(id, trial, 1, 1, 0.9, false, "w-a", l1));
    send(report(id, trial, 1, 2, 0.9, false, "w-a", l1));
    send(report(id, trial, 1, 2, 0.5, false, "w-b", l2));
    await()
        .atMost(PATIENCE)
        .until(() -> trial(id, 0).getList("epochs.epoch", Integer.class).contains(2));
    JsonPath t = trial(id, 0);
    assertThat(t.getList("epochs.epoch", Integer.class)).containsExactly(1, 2);
    assertThat(t.getList("epochs.workerId", String.class)).containsExactly("w-a", "w-b");
    assertThat(fenceEpochs(id)).containsExactly("w-a expired 1", "w-b null null");
  }

  @Test
  void aReportNamingAnotherTrialsLeaseIsDeadLettered() {
    String id = study(spec("none", 2, 2, 2));
    addTrials(id, 0, 2);
    String l1 = acquire("w-a", 0).getString("leaseId");
    String leasedTrial = acquireTrial(l1);
    String other =
        leasedTrial.equals(TrialIds.trialId(id, 0))
            ? TrialIds.trialId(id, 1)
            : TrialIds.trialId(id, 0);
    try (KafkaTestClient.Tail tail = kafka.tail(Topics.DEAD_LETTER)) {
      send(report(id, other, 1, 1, 0.9, false, "w-a", l1));
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  tail.poll().stream()
                      .anyMatch(
                          r ->
                              new String(
                                      r.headers().lastHeader("dead-letter-reason").value(),
                                      java.nio.charset.StandardCharsets.UTF_8)
                                  .contains("leaseId: '" + l1 + "' was granted for trial")));
    }
    assertThat(trial(id, 0).getList("epochs")).isEmpty();
    assertThat(trial(id, 1).getList("epochs")).isEmpty();
  }

  @Test
  void aReleaseRequeuesFromTheWorkersCheckpointWithoutCharge() {
    String id = study(spec("none", 1, 1, 2));
    addTrials(id, 0, 1);
    String leaseId = acquire("w-a", 0).getString("leaseId");
    send(report(id, TrialIds.trialId(id, 0), 1, 1, false));
    post(leases(leaseId, "release"), new LeaseEnd("w-a", 2, "ckpt/2", "SIGTERM"))
        .then()
        .statusCode(204);
    JsonPath again = acquire("w-b", 0);
    assertThat(again.getInt("assignment.attempt")).isEqualTo(1);
    assertThat(again.getInt("assignment.fromEpoch")).isEqualTo(2);
    assertThat(again.getString("assignment.checkpointUri")).isEqualTo("ckpt/2");
    trialIs(id, 0, "running", 1);
    assertThat(leaseRows(id).get(0)).isEqualTo("w-a released 0 2");
  }

  @Test
  void aFailureIsRetriedThenFailsTheTrialThroughRestAndKafkaAlike() {
    String id = study(spec("none", 1, 1, 3));
    addTrials(id, 0, 1);
    String trial = TrialIds.trialId(id, 0);
    String l1 = acquire("w-a", 0).getString("leaseId");
    post(leases(l1, "fail"), new LeaseEnd("w-a", null, null, "out of memory"))
        .then()
        .statusCode(204);
    trialIs(id, 0, "running", 2);
    post(leases(l1, "fail"), new LeaseEnd("w-a", null, null, "again")).then().statusCode(409);
    JsonPath second = acquire("w-b", 0);
    assertThat(second.getInt("assignment.attempt")).isEqualTo(2);
    send(new TrialFailed(1, id, trial, 2, 0, "diverged", "w-b"));
    await().atMost(PATIENCE).until(() -> trialAttempt(id, 0) == 3);
    JsonPath third = acquire("w-c", 0);
    assertThat(third.getInt("assignment.attempt")).isEqualTo(3);
    post(leases(third.getString("leaseId"), "fail"), new LeaseEnd("w-c", null, null, "nan"))
        .then()
        .statusCode(204);
    trialIs(id, 0, "failed", 3);
    assertThat(trialReason(id, 0)).isEqualTo("nan");
    assertThat(leaseRows(id))
        .containsExactly("w-a failed 0 null", "w-b failed 0 null", "w-c failed 0 null");
    assertThat(status(id).getString("state")).isEqualTo("completed");
    assertThat(status(id).getInt("failed")).isEqualTo(1);
  }

  @Test
  void concurrentAcquirersNeverShareASegment() throws Exception {
    String id = study(spec("none", 6, 6, 2));
    addTrials(id, 0, 6);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Response>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String worker = "w-" + i;
        calls.add(() -> post("/v1/leases", new LeaseRequest(worker, 0)));
      }
      Set<String> trials = new HashSet<>();
      int granted = 0;
      for (Future<Response> f : pool.invokeAll(calls)) {
        Response r = f.get();
        if (r.statusCode() == 200) {
          granted++;
          trials.add(r.jsonPath().getString("assignment.trialId"));
        } else {
          assertThat(r.statusCode()).isEqualTo(204);
        }
      }
      assertThat(granted).isEqualTo(6);
      assertThat(trials).hasSize(6);
      assertThat(leaseRows(id)).hasSize(6);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRoundOfGrantsLeasesAsManySegmentsAsTheParallelismAllowsToTheWorkersInOrder() {
    int n = 40;
    String id = study(spec("none", n, 25, 2));
    List<Map<String, Object>> params = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      params.add(Map.of("lr", 0.001 + 0.9 * i / n));
    }
    post("/v1/control/studies/" + id + "/trials", new NewTrials(0, params)).then().statusCode(201);
    List<SegmentRow> queued = queuedSegments(id);
    assertThat(queued).hasSize(n);
    List<String> workers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      workers.add("w-" + i);
    }

    List<Lease> leases = desk.grant(id, queued, workers, false);

    assertThat(leases).hasSize(25);
    assertThat(leases.stream().map(Lease::leaseId).distinct()).hasSize(25);
    assertThat(leases.stream().map(l -> l.assignment().trialId()).distinct()).hasSize(25);
    Map<String, SegmentRow> leased = leasedSegments(id);
    Map<String, String[]> history = leaseHistory(id);
    assertThat(leased).hasSize(25);
    assertThat(history).hasSize(25);
    Map<String, TrialRow> trialRows =
        database.read(
            "trials",
            c ->
                new TrialRepository()
                    .findAll(c, id, queued.stream().map(SegmentRow::trialId).toList()));
    for (int i = 0; i < leases.size(); i++) {
      Lease lease = leases.get(i);
      SegmentRow candidate = queued.get(i);
      SegmentAssignment a = lease.assignment();
      // the k-th candidate to the k-th worker
      assertThat(lease.workerId()).isEqualTo(workers.get(i));
      assertThat(a.trialId()).isEqualTo(candidate.trialId());
      SegmentRow row = leased.get(lease.leaseId());
      assertThat(row.id()).isEqualTo(candidate.id());
      assertThat(row.workerId()).isEqualTo(lease.workerId());
      assertThat(row.leaseExpiresAt().toEpochMilli()).isEqualTo(lease.expiresAt());
      assertThat(row.leaseGrantedEpoch()).isEqualTo(row.fromEpoch());
      assertThat(row.leaseUnstarted()).isFalse();
      assertThat(history.get(lease.leaseId()))
          .containsExactly(
              String.valueOf(row.id()), lease.workerId(), String.valueOf(row.fromEpoch()));
      TrialRow trial = trialRows.get(a.trialId());
      assertThat(a.config()).isEqualTo(Json.decode(trial.config(), Map.class));
      assertThat(a.seed()).isEqualTo(TrialIds.trialSeed(1L, trial.number()));
      assertThat(a.attempt()).isEqualTo(1);
      assertThat(a.fromEpoch()).isZero();
      assertThat(a.toEpoch()).isEqualTo(3);
      assertThat(a.checkpointUri()).isNull();
    }
    JsonPath s = status(id);
    assertThat(s.getInt("running")).isEqualTo(25);
    assertThat(s.getInt("waiting")).isEqualTo(n - 25);
    // the study is at its parallelism: the next round leases nothing
    assertThat(desk.grant(id, queued, workers.subList(25, n), false)).isEmpty();
  }

  @Test
  void aRoundOfGrantsSkipsACandidateTakenMeanwhileAndLeasesTheRowAsItIsNow() {
    String id = study(spec("none", 6, 4, 2));
    addTrials(id, 0, 6);
    List<SegmentRow> queued = queuedSegments(id);
    assertThat(queued).hasSize(6);
    // candidate 1 goes back to the queue from epoch 1; candidate 2 is leased by another worker
    Lease first = desk.grant(id, queued.subList(1, 2), List.of("w-x"), false).get(0);
    post(leases(first.leaseId(), "release"), new LeaseEnd("w-x", 1, "ckpt/1", null))
        .then()
        .statusCode(204);
    Lease other = desk.grant(id, queued.subList(2, 3), List.of("w-x"), false).get(0);

    List<Lease> leases = desk.grant(id, queued, List.of("w-1", "w-2", "w-3", "w-4", "w-5"), true);

    // parallelism 4, one leased: three leases, to the first three workers, candidate 2 skipped
    assertThat(leases).extracting(Lease::workerId).containsExactly("w-1", "w-2", "w-3");
    assertThat(leases)
        .extracting(l -> l.assignment().trialId())
        .containsExactly(TrialIds.trialId(id, 0), TrialIds.trialId(id, 1), TrialIds.trialId(id, 3));
    SegmentAssignment resumed = leases.get(1).assignment();
    assertThat(resumed.fromEpoch()).isEqualTo(1);
    assertThat(resumed.checkpointUri()).isEqualTo("ckpt/1");
    assertThat(resumed.seed()).isEqualTo(TrialIds.trialSeed(1L, 1));
    Map<String, SegmentRow> leased = leasedSegments(id);
    assertThat(leased).hasSize(4);
    assertThat(leased.get(other.leaseId()).id()).isEqualTo(queued.get(2).id());
    assertThat(leased.get(other.leaseId()).workerId()).isEqualTo("w-x");
    assertThat(leased.get(other.leaseId()).leaseUnstarted()).isFalse();
    Map<String, String[]> history = leaseHistory(id);
    for (Lease lease : leases) {
      SegmentRow row = leased.get(lease.leaseId());
      assertThat(row.workerId()).isEqualTo(lease.workerId());
      assertThat(row.leaseUnstarted()).isTrue(); // granted ahead
      assertThat(history.get(lease.leaseId()))
          .containsExactly(
              String.valueOf(row.id()), lease.workerId(), String.valueOf(row.fromEpoch()));
    }
    assertThat(history.get(leases.get(1).leaseId())[2]).isEqualTo("1");
    assertThat(history).hasSize(5); // the released lease, the other worker's and these three

    // a candidate taken between the read of the queue and its update: the update changes nothing,
    // and a lease after it is handed to another worker (checked, then rolled back)
    SegmentRow taken = queued.get(2);
    SegmentRow free = queued.get(5);
    assertThatThrownBy(
            () ->
                database.inTransaction(
                    "a batch of grants, rolled back",
                    c -> {
                      SegmentRepository segments = new SegmentRepository();
                      java.time.Instant now = java.time.Instant.now();
                      LeaseGrant a = new LeaseGrant("l-a", "w-a", now.plusSeconds(60), now, false);
                      LeaseGrant b = new LeaseGrant("l-b", "w-b", now.plusSeconds(60), now, false);
                      assertThat(
                              segments.grantAll(c, List.of(taken.id(), free.id()), List.of(a, b)))
                          .containsExactly(false, true);
                      segments.reassign(c, Map.of(free.id(), b.to("w-a")));
                      assertThat(segments.find(c, free.id()).orElseThrow())
                          .extracting(SegmentRow::leaseId, SegmentRow::workerId)
                          .containsExactly("l-b", "w-a");
                      assertThat(segments.find(c, taken.id()).orElseThrow().leaseId())
                          .isEqualTo(other.leaseId());
                      throw new IllegalStateException("rolled back");
                    }))
        .hasMessage("rolled back");
    assertThat(queuedSegments(id))
        .extracting(SegmentRow::id)
        .containsExactly(queued.get(4).id(), free.id());
  }

  /** The study's queued segments in dispatch order. */
  private List<SegmentRow> queuedSegments(String studyId) {
    return database.read(
        "queued segments",
        c ->
            new SegmentRepository()
                .active(c, studyId).stream()
                    .filter(s -> s.state() == SegmentState.QUEUED)
                    .sorted(
                        java.util.Comparator.comparingInt(SegmentRow::priority)
                            .reversed()
                            .thenComparingLong(SegmentRow::id))
                    .toList());
  }

  /** The study's leased segments by lease id. */
  private Map<String, SegmentRow> leasedSegments(String studyId) {
    return database.read(
        "leased segments",
        c -> {
          Map<String, SegmentRow> out = new java.util.HashMap<>();
          for (SegmentRow s : new SegmentRepository().active(c, studyId)) {
            if (s.state() == SegmentState.LEASED) {
              out.put(s.leaseId(), s);
            }
          }
          return out;
        });
  }

  /** The study's lease history: lease id to [segment id, worker, from epoch]. */
  private Map<String, String[]> leaseHistory(String studyId) {
    return database.read(
        "lease history",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT lease_id, segment_id, worker_id, from_epoch FROM segment_leases WHERE study_id = ?")) {
            ps.setString(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
              Map<String, String[]> out = new java.util.HashMap<>();
              while (rs.next()) {
                String[] row = {
                  String.valueOf(rs.getLong("segment_id")),
                  rs.getString("worker_id"),
                  String.valueOf(rs.getInt("from_epoch"))
                };
                assertThat(out.put(rs.getString("lease_id"), row)).isNull();
              }
              return out;
            }
          }
        });
  }

  @Test
  void aLongPollReturnsAsSoonAsASegmentIsQueued() throws Exception {
    String id = study(spec("none", 1, 1, 2));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      long start = System.nanoTime();
      Future<Response> waiting = pool.submit(() -> post("/v1/leases", new LeaseRequest("w", 20)));
      // Nothing is queued: the request is held for the whole 1.5 s.
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(10))
          .until(() -> !waiting.isDone());
      addTrials(id, 0, 1);
      Response r = waiting.get();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.jsonPath().getString("assignment.trialId")).isEqualTo(TrialIds.trialId(id, 0));
      // Answered by the enqueue, long before the 20 s wait would have run out.
      assertThat(millis).isBetween(1500L, 15_000L);
    } finally {
      pool.shutdownNow();
    }
    long t0 = System.nanoTime();
    given()
        .contentType(ContentType.JSON)
        .body(Json.encode(new LeaseRequest("w", 1)))
        .post("/v1/leases")
        .then()
        .statusCode(204);
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(900L, 3000L);
  }

  @Test
  void hundredsOfWaitingLongPollsHoldNoThreadAndEachGetsItsOwnSegment() throws Exception {
    // More waiting requests than the server has worker threads: a poll that held a thread would
    // starve the blocking endpoints below.
    int n = 240;
    String id = study(spec("none", n, n, 2));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/leases"))
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(60))
              .POST(
                  HttpRequest.BodyPublishers.ofByteArray(
                      Json.encode(new LeaseRequest("w-" + i, 25))))
              .build();
      polls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(PATIENCE).until(() -> desk.waitingRequests() == n);
    post(leases("no-such-lease", "heartbeat"), new Heartbeat("w-x", 1, null))
        .then()
        .statusCode(409);
    assertThat(status(id).getString("state")).isEqualTo("running");
    assertThat(polls).noneMatch(CompletableFuture::isDone);

    // A model-free sampler (this study's is random) is asked for the whole first round at once.
    assertThat(
            given()
                .get("/v1/control/studies/" + id + "/suggest-context")
                .jsonPath()
                .getInt("request.count"))
        .isEqualTo(n);
    List<Map<String, Object>> params = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      params.add(Map.of("lr", 0.001 + 0.99 * i / n));
    }
    post("/v1/control/studies/" + id + "/trials", new NewTrials(0, params)).then().statusCode(201);
    Set<String> trials = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> poll : polls) {
      HttpResponse<String> r = poll.get(60, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      trials.add(JsonPath.from(r.body()).getString("assignment.trialId"));
    }
    assertThat(trials).hasSize(n);
    assertThat(leaseRows(id)).hasSize(n);
    assertThat(desk.waitingRequests()).isZero();
  }

  @Test
  void theSuggestContextOfAMultiFidelityStudyHoldsTheModelRungAndThePending() {
    String id = study(spec("asha", 6, 3, 2));
    addTrials(id, 0, 3);
    double[] acc = {0.5, 0.7, 0.6};
    for (int n = 0; n < 3; n++) {
      send(report(id, TrialIds.trialId(id, n), 1, 1, acc[n], false));
    }
    // The third result at rung 0 promotes t1 (1 -> 3): one promotion queued, no segment leased.
    // (After the first two alone the counts are the same, t2's first segment being the one queued:
    // t1 running again tells the third apart.)
    awaitStatus(
        id,
        j ->
            j.getInt("waiting") == 1
                && j.getInt("parked") == 2
                && "running".equals(trial(id, 1).getString("state")));
    JsonPath ctx =
        given()
            .get("/v1/control/studies/" + id + "/suggest-context")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(ctx.getInt("firstNumber")).isEqualTo(3);
    assertThat(ctx.getInt("request.count")).isEqualTo(2); // 3 slots - 1 queued
    assertThat(ctx.getList("request.observations.params.lr", Float.class))
        .containsExactly(0.1f, 0.2f, 0.3f);
    for (int n = 0; n < 3; n++) {
      String at = "request.observations[" + n + "].values";
      assertThat(ctx.getList(at, Float.class)).containsExactly((float) acc[n], 1.0f);
    }
    assertThat(ctx.getList("request.pending.params.lr", Float.class)).containsExactly(0.2f);
    assertThat(ctx.getLong("request.sampler.seed"))
        .isEqualTo(new SamplerSpec("random", 7L, null).reseeded(3).seed());
    assertThat(ctx.getList("request.objectives.name", String.class))
        .containsExactly("val_accuracy", "sgd_epoch_equivalents");
    JsonPath lease = acquire("w", 0);
    assertThat(lease.getString("assignment.trialId")).isEqualTo(TrialIds.trialId(id, 1));
    assertThat(lease.getInt("assignment.fromEpoch")).isEqualTo(1);
    assertThat(lease.getInt("assignment.toEpoch")).isEqualTo(3);
    assertThat(lease.getString("assignment.checkpointUri"))
        .isEqualTo("ckpt/" + TrialIds.trialId(id, 1) + "/1");
  }

  @Test
  void cancelDropsQueuedSegmentsAndLetsTheLeasedOneFinish() {
    String id = study(spec("none", 3, 2, 2));
    addTrials(id, 0, 2);
    JsonPath lease = acquire("w", 0);
    JsonPath cancelled =
        post("/v1/control/studies/" + id + "/cancel", new EndStudy(null))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(cancelled.getString("state")).isEqualTo("cancelled");
    assertThat(cancelled.getString("reason")).isEqualTo("cancelled by the user");
    assertThat(cancelled.getInt("waiting")).isZero();
    assertThat(cancelled.getInt("running")).isEqualTo(1);
    given()
        .contentType(ContentType.JSON)
        .body(Json.encode(new LeaseRequest("w2", 0)))
        .post("/v1/leases")
        .then()
        .statusCode(204);
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(204);
    String leaseId = lease.getString("leaseId");
    post(leases(leaseId, "heartbeat"), new Heartbeat("w", 1, "c")).then().statusCode(200);
    // A study that ended takes the reports of the leases it granted (and only those).
    send(report(id, lease.getString("assignment.trialId"), 1, 3, 0.5, true, "w", leaseId));
    awaitStatus(id, j -> j.getInt("running") == 0 && j.getInt("completed") == 1);
    assertThat(status(id).getString("state")).isEqualTo("cancelled");
  }

  @Test
  void aPausedStudyLeasesNothingAndCreatesNoTrialUntilResumed() {
    String id = study(spec("none", 3, 2, 2));
    addTrials(id, 0, 2);
    JsonPath lease = acquire("w", 0);
    JsonPath paused =
        post("/v1/control/studies/" + id + "/pause", "")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(paused.getString("state")).isEqualTo("paused");
    given()
        .get("/v1/studies/" + id)
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.equalTo("paused"));
    post("/v1/control/studies/" + id + "/pause", "").then().statusCode(200);
    // No lease for the queued trial, no new trial wanted nor accepted.
    post("/v1/leases", new LeaseRequest("w2", 0)).then().statusCode(204);
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(204);
    assertThat(given().get("/v1/control/wanting").jsonPath().getList("", String.class))
        .doesNotContain(id);
    post("/v1/control/studies/" + id + "/trials", trials(2, 1))
        .then()
        .statusCode(409)
        .body("errors[0].message", org.hamcrest.Matchers.containsString("paused"));
    // The segment leased before the pause finishes, and its report is stored.
    String leaseId = lease.getString("leaseId");
    post(leases(leaseId, "heartbeat"), new Heartbeat("w", 1, "c")).then().statusCode(200);
    send(report(id, lease.getString("assignment.trialId"), 1, 3, 0.5, true, "w", leaseId));
    awaitStatus(id, j -> j.getInt("running") == 0 && j.getInt("completed") == 1);
    assertThat(status(id).getString("state")).isEqualTo("paused");
    assertThat(status(id).getInt("waiting")).isEqualTo(1);

    // The pause is in the database: a control plane built afresh on it (as after a restart of
    // the store) still sees the study paused.
    ControlQueries fresh = new ControlQueries(new ControlPlane(database, plane.settings(), clock));
    assertThat(fresh.status(id).state()).isEqualTo("paused");
    assertThat(fresh.suggestContext(id)).isEmpty();

    JsonPath resumed =
        post("/v1/control/studies/" + id + "/resume", "")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(resumed.getString("state")).isEqualTo("running");
    assertThat(acquire("w2", 0).getString("assignment.trialId")).isEqualTo(TrialIds.trialId(id, 1));
    JsonPath ctx =
        given()
            .get("/v1/control/studies/" + id + "/suggest-context")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(ctx.getInt("firstNumber")).isEqualTo(2);
    assertThat(ctx.getInt("request.count")).isEqualTo(1);
  }

  @Test
  void aPausedStudyThatCompletesIsNoLongerPausedWhenExtended() {
    String id = study(spec("none", 1, 1, 2));
    addTrials(id, 0, 1);
    JsonPath lease = acquire("w", 0);
    post("/v1/control/studies/" + id + "/pause", "").then().statusCode(200);
    send(
        report(
            id,
            lease.getString("assignment.trialId"),
            1,
            3,
            0.5,
            true,
            "w",
            lease.getString("leaseId")));
    awaitStatus(id, j -> j.getString("state").equals("completed"));
    post("/v1/control/studies/" + id + "/extend", Map.of("trials", 1))
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.equalTo("running"));
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(200);
  }

  @Test
  void onlyARunningStudyIsPausedOrResumed() {
    String id = study(spec("none", 3, 2, 2));
    post("/v1/control/studies/" + id + "/resume", "")
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.equalTo("running"));
    // A paused study is cancelled like a running one.
    post("/v1/control/studies/" + id + "/pause", "").then().statusCode(200);
    post("/v1/control/studies/" + id + "/cancel", new EndStudy(null))
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.equalTo("cancelled"));
    post("/v1/control/studies/" + id + "/pause", "")
        .then()
        .statusCode(409)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("id"))
        .body("errors[0].message", org.hamcrest.Matchers.containsString("cancelled"));
    post("/v1/control/studies/" + id + "/resume", "").then().statusCode(409);
    post("/v1/control/studies/nope/pause", "").then().statusCode(404);
  }

  @Test
  void anExtensionAddsTrialsAndACompletedStudyRunsAgain() {
    StudySpec spec = spec("none", 1, 1, 2);
    String id = newId();
    post("/v1/control/studies", new CreateStudy(id, spec, 0)).then().statusCode(201);
    addTrials(id, 0, 1);
    JsonPath lease = acquire("w", 0);
    String leaseId = lease.getString("leaseId");
    send(report(id, lease.getString("assignment.trialId"), 1, 3, 0.5, true, "w", leaseId));
    awaitStatus(id, j -> j.getString("state").equals("completed"));

    post("/v1/control/studies/" + id + "/extend", Map.of("maxEpochs", 9))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("maxEpochs"))
        .body("errors[0].message", org.hamcrest.Matchers.containsString("cosine"));
    post("/v1/control/studies/" + id + "/extend", Map.of())
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("trials"));
    post("/v1/control/studies/" + id + "/extend", Map.of("trials", 0))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("trials"));
    JsonPath extended =
        post("/v1/control/studies/" + id + "/extend", Map.of("trials", 2))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(extended.getString("state")).isEqualTo("running");
    assertThat(extended.getString("reason")).isNull();
    assertThat(extended.getInt("budget.trials")).isEqualTo(3);
    JsonPath ctx =
        given()
            .get("/v1/control/studies/" + id + "/suggest-context")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(ctx.getInt("firstNumber")).isEqualTo(1);
    addTrials(id, 1, 1);
    post("/v1/control/studies/" + id + "/trials", trials(2, 2))
        .then()
        .statusCode(409)
        .body("errors[0].message", org.hamcrest.Matchers.containsString("1 more trial"));
    // The store's study detail shows the new budget; a repeated create of the original spec is
    // still the same study.
    given()
        .get("/v1/studies/" + id)
        .then()
        .statusCode(200)
        .body("spec.budget.trials", org.hamcrest.Matchers.equalTo(3));
    post("/v1/control/studies", new CreateStudy(id, spec, 0)).then().statusCode(200);

    String sha = study(spec("sha", 9, 2, 2));
    post("/v1/control/studies/" + sha + "/extend", Map.of("trials", 3))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("trials"))
        .body("errors[0].message", org.hamcrest.Matchers.containsString("bracket"));
    post("/v1/control/studies/" + sha + "/cancel", new EndStudy(null)).then().statusCode(200);
    post("/v1/control/studies/" + sha + "/extend", Map.of("trials", 3)).then().statusCode(400);
    String asha = study(spec("asha", 2, 2, 2));
    post("/v1/control/studies/" + asha + "/cancel", new EndStudy(null)).then().statusCode(200);
    post("/v1/control/studies/" + asha + "/extend", Map.of("trials", 3))
        .then()
        .statusCode(409)
        .body("errors[0].message", org.hamcrest.Matchers.containsString("cancelled"));
  }

  @Test
  void enqueuedConfigurationsBecomeTheNextTrialsBeforeTheSamplerIsAsked() {
    String id = study(spec("none", 4, 2, 2));
    String path = "/v1/control/studies/" + id + "/enqueue";
    JsonPath answer =
        post(
                path,
                Map.of("configs", List.of(Map.of("lr", 0.2), Map.of("lr", 0.3), Map.of("lr", 0.4))))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    // Two slots: two of them are trials at once, the third waits for a slot.
    assertThat(answer.getInt("waiting")).isEqualTo(1);
    assertThat(answer.getInt("study.created")).isEqualTo(2);
    assertThat(trial(id, 0).getDouble("params.lr")).isEqualTo(0.2);
    assertThat(trial(id, 1).getDouble("params.lr")).isEqualTo(0.3);
    assertThat(trial(id, 1).getInt("config.batch-size")).isEqualTo(128);
    post(path, Map.of("configs", List.of(Map.of("lr", 5.0), Map.of("lr", 0.1, "rho", 0.1))))
        .then()
        .statusCode(400)
        .body("errors.field", org.hamcrest.Matchers.contains("configs[0].lr", "configs[1].rho"));
    // They count against the budget: 4 trials, 2 created and 1 waiting leave room for 1.
    post(path, Map.of("configs", List.of(Map.of("lr", 0.5), Map.of("lr", 0.6))))
        .then()
        .statusCode(409)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("configs"))
        .body("errors[0].message", org.hamcrest.Matchers.containsString("allows 1 more"));
    post(path, Map.of("preset", "nope"))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("preset"));
    post(path, Map.of()).then().statusCode(400);

    // A freed slot takes the waiting configuration, through the scheduler's suggest context.
    finishNext(id, "w");
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(204);
    assertThat(status(id).getInt("created")).isEqualTo(3);
    assertThat(trial(id, 2).getDouble("params.lr")).isEqualTo(0.4);
    // Then the sampler is asked, with the enqueued trials among its pending points.
    finishNext(id, "w");
    JsonPath ctx =
        given()
            .get("/v1/control/studies/" + id + "/suggest-context")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(ctx.getInt("firstNumber")).isEqualTo(3);
    assertThat(ctx.getInt("request.count")).isEqualTo(1);
    assertThat(ctx.getList("request.pending.params.lr", Double.class)).containsExactly(0.4);
  }

  @Test
  void aWarmStartedStudysSamplerLearnsFromTheOtherStudysCompletedTrialsThatFitItsSpace() {
    String from = study(spec("none", 3, 3, 2));
    addTrials(from, 0, 3); // lr 0.1, 0.2, 0.3
    finishNext(from, "w", 0.6);
    finishNext(from, "w", 0.7);
    finishNext(from, "w", 0.8);

    StudySpec base = spec("none", 4, 2, 2);
    StudySpec warm =
        withSpace(base, List.of(ParamSpec.floatParam("lr", 0.15, 1.0, true)), null, from);
    String id = study(warm);
    JsonPath ctx =
        given()
            .get("/v1/control/studies/" + id + "/suggest-context")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    // lr 0.1 lies outside the new space and is skipped; the others come with their final values.
    assertThat(ctx.getList("request.observations.params.lr", Double.class))
        .containsExactly(0.2, 0.3);
    assertThat(ctx.getDouble("request.observations[0].values[0]")).isEqualTo(0.7);
    assertThat(ctx.getDouble("request.observations[1].values[0]")).isEqualTo(0.8);

    post(
            "/v1/control/studies",
            new CreateStudy(newId(), withSpace(base, base.space(), null, "nope"), 0))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("spec.warmStart.fromStudy"))
        .body("errors[0].message", org.hamcrest.Matchers.containsString("no study 'nope'"));
  }

  @Test
  void aSpecsEnqueuedConfigurationsAreItsFirstTrials() {
    StudySpec base = spec("none", 3, 1, 2);
    String id =
        study(withSpace(base, base.space(), List.of(Map.of("lr", 0.25), Map.of("lr", 0.35)), null));
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(204);
    assertThat(trial(id, 0).getDouble("params.lr")).isEqualTo(0.25);
    finishNext(id, "w", 0.5);
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(204);
    assertThat(trial(id, 1).getDouble("params.lr")).isEqualTo(0.35);
    finishNext(id, "w", 0.5);
    JsonPath ctx =
        given()
            .get("/v1/control/studies/" + id + "/suggest-context")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(ctx.getInt("firstNumber")).isEqualTo(2);
    post(
            "/v1/control/studies",
            new CreateStudy(
                newId(), withSpace(base, base.space(), List.of(Map.of("lr", 3.0)), null), 0))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("spec.enqueue[0].lr"));
  }

  @Test
  void aPresetInTheSpecsEnqueueBecomesItsConfigurationsAtItsPlace() {
    StudySpec base = spec("none", 5, 1, 2);
    List<ParamSpec> space =
        List.of(
            ParamSpec.categorical("variant", List.of("sgd", "sam")),
            ParamSpec.floatParam("lr", 0.01, 0.3, true),
            ParamSpec.floatParam("rho", 0.01, 0.5, true).when(Map.of("variant", List.of("sam"))));
    String id =
        study(
            withSpace(
                base,
                space,
                List.of(Map.of("variant", "sgd", "lr", 0.2), Map.of("preset", "papers")),
                null));
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(204);
    assertThat(trial(id, 0).getDouble("params.lr")).isEqualTo(0.2);
    finishNext(id, "w", 0.5);
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(204);
    assertThat(trial(id, 1).getString("params.variant")).isEqualTo("sgd");
    assertThat(trial(id, 1).getDouble("params.lr")).isEqualTo(0.05);
    finishNext(id, "w", 0.5);
    given().get("/v1/control/studies/" + id + "/suggest-context").then().statusCode(204);
    assertThat(trial(id, 2).getString("params.variant")).isEqualTo("sam");
    assertThat(trial(id, 2).getDouble("params.rho")).isEqualTo(0.05);

    post(
            "/v1/control/studies",
            new CreateStudy(
                newId(), withSpace(base, space, List.of(Map.of("preset", "nope")), null), 0))
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("spec.enqueue[0].preset"));
  }

  private static StudySpec withSpace(
      StudySpec base, List<ParamSpec> space, List<Map<String, Object>> enqueue, String warmFrom) {
    return new StudySpec(
        base.name(),
        base.dataset(),
        base.model(),
        base.objectives(),
        space,
        base.fixed(),
        base.sampler(),
        base.scheduler(),
        base.budget(),
        base.seed(),
        enqueue,
        warmFrom == null ? null : new WarmStart(warmFrom));
  }

  private void finishNext(String id, String worker) {
    finishNext(id, worker, 0.5);
  }

  /** Leases the next queued segment and sends its last report, then waits until it is stored. */
  private void finishNext(String id, String worker, double accuracy) {
    int completed = status(id).getInt("completed");
    JsonPath lease = acquire(worker, 0);
    send(
        report(
            id,
            lease.getString("assignment.trialId"),
            1,
            3,
            accuracy,
            true,
            worker,
            lease.getString("leaseId")));
    awaitStatus(id, j -> j.getInt("completed") == completed + 1);
  }

  @Test
  void thePaperPresetEnqueuesEachVariantOfTheSpaceAtItsDefaults() {
    StudySpec base = spec("none", 10, 1, 2);
    StudySpec spec =
        new StudySpec(
            base.name(),
            base.dataset(),
            base.model(),
            base.objectives(),
            List.of(
                ParamSpec.categorical("variant", List.of("sgd", "sam", "esam")),
                ParamSpec.floatParam("lr", 0.01, 0.3, true),
                ParamSpec.floatParam("rho", 0.1, 0.5, true)
                    .when(Map.of("variant", List.of("sam", "esam"))),
                ParamSpec.floatParam("beta", 0.3, 1.0, false)
                    .when(Map.of("variant", List.of("esam"))),
                ParamSpec.floatParam("gamma", 0.3, 1.0, false)
                    .when(Map.of("variant", List.of("esam")))),
            base.fixed(),
            base.sampler(),
            base.scheduler(),
            base.budget(),
            base.seed());
    String id = study(spec);
    JsonPath answer =
        post("/v1/control/studies/" + id + "/enqueue", Map.of("preset", "papers"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(answer.getList("enqueued.variant", String.class))
        .containsExactly("sgd", "sam", "esam");
    assertThat(answer.getDouble("enqueued[0].lr")).isEqualTo(0.05);
    assertThat(answer.getMap("enqueued[0]")).doesNotContainKey("rho");
    // rho's default 0.05 lies below this space's range: the nearest bound.
    assertThat(answer.getDouble("enqueued[1].rho")).isEqualTo(0.1);
    assertThat(answer.getDouble("enqueued[2].beta")).isEqualTo(0.6);
    assertThat(answer.getDouble("enqueued[2].gamma")).isEqualTo(0.5);
    assertThat(answer.getInt("waiting")).isEqualTo(2);
    assertThat(trial(id, 0).getString("params.variant")).isEqualTo("sgd");

    post("/v1/control/studies/" + id + "/cancel", new EndStudy(null)).then().statusCode(200);
    post("/v1/control/studies/" + id + "/enqueue", Map.of("preset", "papers"))
        .then()
        .statusCode(409)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("id"));
  }

  // ---- helpers
  // -----------------------------------------------------------------------------------

  private static String newId() {
    return "cp-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aModelBasedSamplerIsAskedForAtMostAHundredConfigurationsACall() {
    StudySpec random = spec("none", 300, 300, 2);
    for (String type : List.of("random", "sobol", "tpe", "gp")) {
      StudySpec s =
          new StudySpec(
              random.name(),
              random.dataset(),
              random.model(),
              random.objectives(),
              random.space(),
              random.fixed(),
              new SamplerSpec(type, 7L, null),
              random.scheduler(),
              random.budget(),
              random.seed(),
              null,
              null);
      String id = study(s);
      int expected = type.equals("random") || type.equals("sobol") ? 300 : 100;
      assertThat(
              given()
                  .get("/v1/control/studies/" + id + "/suggest-context")
                  .jsonPath()
                  .getInt("request.count"))
          .as(type)
          .isEqualTo(expected);
    }
  }

  private static StudySpec spec(String scheduler, int trials, int parallelism, int attempts) {
    SchedulerSpec s =
        switch (scheduler) {
          case "none" -> new SchedulerSpec("none", null, 3, null);
          case "asha-bad" -> new SchedulerSpec("asha", 9, 9, 3);
          default -> new SchedulerSpec(scheduler, 1, 9, 3);
        };
    return new StudySpec(
        "control-test",
        new DatasetSpec("synthetic", null, 0.1, null, 100, 20),
        "mlp",
        List.of(
            new Objective("val_accuracy", Goal.MAXIMIZE),
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE)),
        List.of(ParamSpec.floatParam("lr", 0.001, 1.0, true)),
        Map.of("batch-size", 128),
        new SamplerSpec("random", 7L, null),
        s,
        new Budget(trials, parallelism, attempts),
        1L);
  }

  private static String study(StudySpec spec) {
    String id = newId();
    post("/v1/control/studies", new CreateStudy(id, spec, 0)).then().statusCode(201);
    return id;
  }

  private static NewTrials trials(int first, int count) {
    List<Map<String, Object>> params = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      params.add(Map.of("lr", 0.1 * (first + i + 1)));
    }
    return new NewTrials(first, params);
  }

  private static void addTrials(String id, int first, int count) {
    post("/v1/control/studies/" + id + "/trials", trials(first, count)).then().statusCode(201);
  }

  private static Response post(String path, Object body) {
    return given().contentType(ContentType.JSON).body(Json.encode(body)).post(path);
  }

  private static String baseUrl() {
    return RestAssured.baseURI + ":" + RestAssured.port;
  }

  private static String leases(String leaseId, String action) {
    return "/v1/leases/" + leaseId + "/" + action;
  }

  private static JsonPath acquire(String worker, int wait) {
    return post("/v1/leases", new LeaseRequest(worker, wait))
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static JsonPath status(String id) {
    return given().get("/v1/control/studies/" + id).then().statusCode(200).extract().jsonPath();
  }

  private static void awaitStatus(String id, java.util.function.Predicate<JsonPath> ready) {
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ready.test(status(id)));
  }

  private void advance(int seconds) {
    clock.use(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(seconds)));
  }

  private static JsonPath trial(String id, int n) {
    return given()
        .get("/v1/studies/" + id + "/trials")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .setRootPath("find { it.trialId == '" + TrialIds.trialId(id, n) + "' }");
  }

  private static void trialIs(String id, int n, String state, int attempt) {
    JsonPath t = trial(id, n);
    assertThat(t.getString("state")).isEqualTo(state);
    assertThat(t.getInt("attempt")).isEqualTo(attempt);
  }

  private static int trialAttempt(String id, int n) {
    return trial(id, n).getInt("attempt");
  }

  private static String trialReason(String id, int n) {
    return trial(id, n).getString("reason");
  }

  /** The study's lease history as "worker outcome fromEpoch lastEpoch", in grant order. */
  private List<String> leaseRows(String studyId) {
    return database.read(
        "lease history",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT worker_id, outcome, from_epoch, last_epoch FROM segment_leases WHERE study_id = ?"
                      + " ORDER BY granted_at, lease_id")) {
            ps.setString(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
              List<String> out = new ArrayList<>();
              while (rs.next()) {
                Object last = rs.getObject("last_epoch");
                out.add(
                    rs.getString("worker_id")
                        + " "
                        + rs.getString("outcome")
                        + " "
                        + rs.getInt("from_epoch")
                        + " "
                        + last);
              }
              return out;
            }
          }
        });
  }

  private static EpochReport report(
      String study, String trial, int attempt, int epoch, boolean last) {
    return report(study, trial, attempt, epoch, 0.5, last);
  }

  private static EpochReport report(
      String study, String trial, int attempt, int epoch, double accuracy, boolean last) {
    return new EpochReport(
        1,
        study,
        trial,
        attempt,
        epoch,
        new Metrics(accuracy, 1 - accuracy, 0.3, null),
        new Cost(100, 100, 6400, 1.0, 1.5, epoch),
        "w",
        "ckpt/" + trial + "/" + epoch,
        last);
  }

  private static EpochReport report(
      String study,
      String trial,
      int attempt,
      int epoch,
      double accuracy,
      boolean last,
      String worker,
      String leaseId) {
    return new EpochReport(
        1,
        study,
        trial,
        attempt,
        epoch,
        new Metrics(accuracy, 1 - accuracy, 0.3, null),
        new Cost(100, 100, 6400, 1.0, 1.5, epoch),
        worker,
        "ckpt/" + trial + "/" + epoch,
        last,
        leaseId);
  }

  /** The trial a lease was granted for. */
  private String acquireTrial(String leaseId) {
    return database.read(
        "lease's trial",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT trial_id FROM segment_leases WHERE lease_id = ?")) {
            ps.setString(1, leaseId);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
  }

  /** The study's lease history as "worker outcome fenceEpoch", in grant order. */
  private List<String> fenceEpochs(String studyId) {
    return database.read(
        "lease fences",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT worker_id, outcome, fence_epoch FROM segment_leases WHERE study_id = ?"
                      + " ORDER BY granted_at, lease_id")) {
            ps.setString(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
              List<String> out = new ArrayList<>();
              while (rs.next()) {
                out.add(
                    rs.getString("worker_id")
                        + " "
                        + rs.getString("outcome")
                        + " "
                        + rs.getObject("fence_epoch"));
              }
              return out;
            }
          }
        });
  }

  private static void send(ReportMessage message) {
    kafka.send(Topics.REPORTS, message.trialId(), Json.encode(message));
  }
}
