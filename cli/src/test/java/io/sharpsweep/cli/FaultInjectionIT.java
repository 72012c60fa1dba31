package io.sharpsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sharpsweep.cli.client.ServiceClient;
import io.sharpsweep.cli.stack.LocalStack;
import io.sharpsweep.cli.stack.LocalStack.StackOptions;
import io.sharpsweep.cli.stack.ServiceProcess;
import io.sharpsweep.kafka.TopicProbe;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.Topics;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.ReportMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crashes every part of the local stack while a real study runs, and judges the outcome as a user
 * would, from REST and the database. The packaged services run as processes (LocalStack), with
 * three trainer-workers training a small MLP study on a Fashion-MNIST subset; during the study it
 * kills a worker with SIGKILL three times, the scheduler and the results-store once each (each
 * restarted with its command line, port, environment and log), stops and restarts the broker with
 * SIGTERM, and stops a worker with SIGTERM (which must hand its segment back and exit within its
 * grace period). After each fault it waits until a new epoch is visible again.
 *
 * <p>Then: every trial completed (the store and the scheduler agree), every epoch 1..maxEpochs of
 * every trial is stored exactly once, no segment was leased to two workers at once, the number of
 * visible stored epochs never decreased (polled every 0.5 s for the whole run), and the restarted
 * scheduler lists the study. The recovery time of every fault and the epochs trained twice go to
 * {@code cli/target/fault-matrix-<db>.json}. The work directory (logs of every process, appended
 * across restarts) stays in {@code cli/target/fault-injection-<db>/}.
 *
 * <p>Sizes can be changed without recompiling: {@code -Dsharpsweep.test.faults.trials}, {@code
 * .epochs}, {@code .train-limit}, {@code .batch-size}, {@code .variant}, and {@code .extra} ({@code
 * key=value,…} system properties for every service).
 */
class FaultInjectionIT {
  static final int WORKERS = 3;
  static final int TRIALS = Integer.getInteger("sharpsweep.test.faults.trials", 18);
  static final int EPOCHS = Integer.getInteger("sharpsweep.test.faults.epochs", 8);
  static final int TRAIN_LIMIT = Integer.getInteger("sharpsweep.test.faults.train-limit", 12000);
  static final int BATCH_SIZE = Integer.getInteger("sharpsweep.test.faults.batch-size", 32);
  static final String VARIANT = System.getProperty("sharpsweep.test.faults.variant", "sam");

  /** How long a worker may take to hand its segment back and exit after SIGTERM. */
  static final Duration WORKER_GRACE = Duration.ofSeconds(30);

  static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(120);
  static final Duration RESUME_TIMEOUT = Duration.ofSeconds(90);
  static final Duration STUDY_TIMEOUT = Duration.ofMinutes(9);

  static final String SPEC =
      """
      name: faults-%s
      dataset: {name: fashion-mnist, validationFraction: 0.1, trainLimit: %d, testLimit: 500}
      model: mlp
      objectives: [{metric: val_accuracy, goal: maximize}]
      space:
        - {name: lr, type: float, low: 0.01, high: 0.2, log: true}
        - {name: momentum, type: float, low: 0.0, high: 0.9}
      fixed: {variant: %s, rho: 0.05, batch-size: %d}
      sampler: {type: sobol, seed: 3}
      scheduler: {type: none, maxEpochs: %d}
      budget: {trials: %d, parallelism: %d, maxAttempts: 5}
      seed: 9
      """;

  @ParameterizedTest(name = "results-store on {0}")
  @ValueSource(strings = {"h2", "postgresql"})
  void theStudySurvivesEveryCrash(String db) throws Exception {
    if (db.equals("postgresql")) {
      // skipped only on purpose (-Dsharpsweep.test.postgres=false); an unreachable server fails the
      // test
      Assumptions.assumeTrue(
          !"false".equals(System.getProperty("sharpsweep.test.postgres")),
          "-Dsharpsweep.test.postgres=false");
    }
    Path home = Path.of(System.getProperty("sharpsweep.home", "..")).toAbsolutePath().normalize();
    Path target = home.resolve("cli").resolve("target");
    Path work = target.resolve("fault-injection-" + db);
    deleteRecursively(work);
    Files.createDirectories(work);
    Map<String, String> extra = new HashMap<>(extraProperties());
    String schema = "faults_" + Long.toString(System.nanoTime(), 36);
    String pgUrl = EndToEndIT.PG_URL + "?currentSchema=" + schema;
    if (db.equals("postgresql")) {
      extra.put("sharpsweep.store.postgresql.url", pgUrl);
      extra.put("quarkus.flyway.\"postgresql\".schemas", schema);
    }
    StackOptions options =
        new StackOptions(
            home, work, WORKERS, 1, db, Path.of("/usr/share/datasets/fashion-mnist"), extra);
    ServiceClient client = new ServiceClient(null);
    Run run = new Run(db, work);
    boolean passed = false;
    long testStart = System.currentTimeMillis();
    try (LocalStack stack =
        LocalStack.start(options, line -> System.out.println("[faults] " + line))) {
      run.stack = stack;
      run.stackSeconds = (System.currentTimeMillis() - testStart) / 1000.0;
      String scheduler = stack.url(LocalStack.SCHEDULER);
      String store = stack.url(LocalStack.STORE);
      String id =
          client
              .post(
                  scheduler + "/v1/studies",
                  "application/yaml",
                  SPEC.formatted(db, TRAIN_LIMIT, VARIANT, BATCH_SIZE, EPOCHS, TRIALS, WORKERS))
              .path("id")
              .asText();
      run.studyId = id;
      run.studyPostedAt = System.currentTimeMillis();
      log("study " + id + " posted: " + TRIALS + " trials × " + EPOCHS + " epochs");
      try (Observer observer = new Observer(store + "/v1/studies/" + id + "/trials?limit=1000")) {
        run.observer = observer;
        await(
            "the first epoch of study " + id,
            Duration.ofMinutes(3),
            () -> !observer.seen.isEmpty());
        log("first epoch visible after " + secondsSince(run.studyPostedAt) + " s");

        run.killWorker(1);
        run.killScheduler(client, scheduler, id);
        run.killWorker(2);
        run.killStore();
        run.restartBroker();
        run.killWorker(3);
        run.terminateWorker();

        long deadline = run.studyPostedAt + STUDY_TIMEOUT.toMillis();
        await(
            "study " + id + " completed in the store",
            Duration.ofMillis(Math.max(1000, deadline - System.currentTimeMillis())),
            () -> "completed".equals(stateOf(client, store + "/v1/studies/" + id)));
        run.studySeconds = secondsSince(run.studyPostedAt);
        // one more poll, so the last epochs are in the observer's record
        observer.pollOnce();
      }

      SoftAssertions soft = new SoftAssertions();
      JsonNode storeStudy = client.get(store + "/v1/studies/" + id);
      soft.assertThat(storeStudy.path("trials").path("completed").asInt())
          .as("trials completed in the store")
          .isEqualTo(TRIALS);
      soft.assertThat(storeStudy.path("trials").path("failed").asInt())
          .as("trials failed in the store")
          .isZero();
      JsonNode schedStudy = awaitSchedulerAgrees(client, scheduler, id);
      soft.assertThat(schedStudy.path("completed").asInt())
          .as("the scheduler's completed count (the store says %d)", TRIALS)
          .isEqualTo(TRIALS);
      soft.assertThat(schedStudy.path("failed").asInt())
          .as("the scheduler's failed count")
          .isZero();
      soft.assertThat(schedStudy.path("state").asText())
          .as("the scheduler's state")
          .isEqualTo("completed");

      JsonNode trials = client.getAllPages(store + "/v1/studies/" + id + "/trials?limit=1000");
      soft.assertThat(trials).as("trials over REST").hasSize(TRIALS);
      for (JsonNode t : trials) {
        String tid = t.path("trialId").asText();
        soft.assertThat(t.path("state").asText()).as("state of " + tid).isEqualTo("completed");
        List<Integer> epochs = new ArrayList<>();
        t.path("epochs").forEach(e -> epochs.add(e.path("epoch").asInt()));
        Collections.sort(epochs);
        soft.assertThat(epochs).as("epochs of " + tid + " over REST").isEqualTo(oneToMax());
      }

      run.countKafkaReports(stack.bootstrapServers());
      run.countWorkerLogs();

      soft.assertThat(run.observer.decreases)
          .as("moments the visible stored epochs decreased (polled every 0.5 s)")
          .isEmpty();

      if (db.equals("h2")) {
        // H2's file is the store's alone while it runs
        stack.process(LocalStack.STORE).stop(30);
      }
      try (Connection c =
          db.equals("h2")
              ? DriverManager.getConnection(
                  "jdbc:h2:file:"
                      + work.resolve("store").resolve("store").toAbsolutePath()
                      + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=FALSE;IFEXISTS=TRUE",
                  "sa",
                  "")
              : DriverManager.getConnection(pgUrl, "postgres", "")) {
        run.checkDatabase(c, soft);
      }
      run.writeMatrix(target.resolve("fault-matrix-" + db + ".json"));
      soft.assertAll();
      passed = true;
    } finally {
      if (!passed && run.studyId != null) {
        try {
          run.writeMatrix(target.resolve("fault-matrix-" + db + ".json"));
        } catch (RuntimeException e) {
          System.out.println("[faults] cannot write the fault matrix: " + e);
        }
      }
      System.out.println(
          "[faults] logs of every process: " + work.resolve("logs") + (passed ? "" : " (FAILED)"));
      if (db.equals("postgresql")) {
        try (Connection c = DriverManager.getConnection(EndToEndIT.PG_URL, "postgres", "");
            java.sql.Statement st = c.createStatement()) {
          st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      }
      if (passed) {
        // keep the logs; the data is large and only the failure of a run needs it
        for (String dir : List.of("checkpoints", "kafka", "store")) {
          deleteRecursively(work.resolve(dir));
        }
      }
    }
  }

  /** One fault injected into the stack, and what it cost. */
  static final class Fault {
    final String name;
    final String target;
    long at;
    String affectedTrial;
    Long downMillis;
    Long exitMillis;
    Integer exitCode;
    Long recoveryMillis;
    Long trialResumedMillis;
    int duplicateReports;
    String leaseOutcome;
    Long leasedAgainMillis;
    Long firstEpochStoredMillis;

    Fault(String name, String target) {
      this.name = name;
      this.target = target;
    }
  }

  /** The state of one run: the stack, the faults injected so far, the observations. */
  static final class Run {
    final String db;
    final Path work;
    final List<Fault> faults = new ArrayList<>();
    final Set<String> hitWorkers = ConcurrentHashMap.newKeySet();
    LocalStack stack;
    Observer observer;
    String studyId;
    long studyPostedAt;
    double stackSeconds;
    double studySeconds;
    int reportsPublished = -1;
    int distinctReportsPublished = -1;
    int duplicateReports = -1;
    int epochsStored = -1;
    int leasesRecorded = -1;
    int reportsResent = -1;
    double partialEpochs;
    String leaseTable;
    final Map<String, Integer> leaseOutcomes = new TreeMap<>();
    final Map<String, List<String>> leaseLog = new TreeMap<>();
    final List<String> notes = new ArrayList<>();

    Run(String db, Path work) {
      this.db = db;
      this.work = work;
    }

    /**
     * The fault about to hit the next busy worker, mid-epoch: the worker and the trial it trains
     * (the one of its open lease, if the lease moved on meanwhile).
     */
    private Fault aimAtBusyWorker(String name) throws InterruptedException {
      Candidate victim = nextBusyWorker();
      Fault f = new Fault(name, victim.process);
      Thread.sleep(midEpochDelay());
      f.affectedTrial = openLease(victim.process).map(Candidate::trialId).orElse(victim.trialId);
      log(
          name
              + ": "
              + victim.process
              + " (pid "
              + stack.process(victim.process).pid()
              + ", training "
              + f.affectedTrial
              + ")");
      return f;
    }

    /** SIGKILL the next worker that reports a non-final epoch, mid-epoch; restart it. */
    void killWorker(int n) throws InterruptedException {
      Fault f = aimAtBusyWorker("kill -9 worker #" + n);
      ServiceProcess p = stack.process(f.target);
      f.at = System.currentTimeMillis();
      p.kill();
      hitWorkers.add(f.target);
      faults.add(f);
      stack.restart(f.target);
      f.downMillis = System.currentTimeMillis() - f.at;
      awaitRecovery(f);
    }

    /** SIGTERM the next busy worker: it hands its segment back and exits in its grace period. */
    void terminateWorker() throws InterruptedException {
      Fault f = aimAtBusyWorker("SIGTERM worker");
      ServiceProcess p = stack.process(f.target);
      f.at = System.currentTimeMillis();
      p.terminate();
      hitWorkers.add(f.target);
      faults.add(f);
      boolean exited = p.awaitExit(WORKER_GRACE);
      f.exitMillis = System.currentTimeMillis() - f.at;
      if (!exited) {
        p.kill();
        throw new AssertionError(
            f.target
                + " did not exit within "
                + WORKER_GRACE.toSeconds()
                + " s of SIGTERM (killed now); see "
                + p.log());
      }
      f.exitCode = p.exitCode();
      log(f.target + " exited " + f.exitMillis + " ms after SIGTERM, code " + f.exitCode);
      stack.restart(f.target);
      f.downMillis = System.currentTimeMillis() - f.at;
      awaitRecovery(f);
    }

    void killScheduler(ServiceClient client, String schedulerUrl, String id)
        throws InterruptedException {
      Fault f = new Fault("kill -9 scheduler", LocalStack.SCHEDULER);
      ServiceProcess p = stack.process(LocalStack.SCHEDULER);
      log(f.name + " (pid " + p.pid() + ")");
      f.at = System.currentTimeMillis();
      p.kill();
      faults.add(f);
      stack.restart(LocalStack.SCHEDULER);
      f.downMillis = System.currentTimeMillis() - f.at;
      await(
          "the restarted scheduler lists study " + id,
          Duration.ofSeconds(30),
          () -> {
            try {
              JsonNode list = client.get(schedulerUrl + "/v1/studies");
              JsonNode items = list.isArray() ? list : list.path("studies");
              for (JsonNode s : items) {
                if (s.path("id").asText().equals(id)) {
                  return true;
                }
              }
              return false;
            } catch (ServiceClient.ServiceException e) {
              return false;
            }
          });
      awaitRecovery(f);
    }

    void killStore() throws InterruptedException {
      Fault f = new Fault("kill -9 results-store", LocalStack.STORE);
      ServiceProcess p = stack.process(LocalStack.STORE);
      log(f.name + " (pid " + p.pid() + "); visible epochs " + observer.lastCount);
      f.at = System.currentTimeMillis();
      p.kill();
      faults.add(f);
      stack.restart(LocalStack.STORE);
      f.downMillis = System.currentTimeMillis() - f.at;
      awaitRecovery(f);
    }

    void restartBroker() throws InterruptedException {
      Fault f = new Fault("SIGTERM broker, restart", LocalStack.BROKER);
      ServiceProcess p = stack.process(LocalStack.BROKER);
      log(f.name + " (pid " + p.pid() + ")");
      f.at = System.currentTimeMillis();
      p.terminate();
      faults.add(f);
      if (!p.awaitExit(Duration.ofSeconds(60))) {
        p.kill();
        throw new AssertionError("the broker did not stop within 60 s of SIGTERM; see " + p.log());
      }
      f.exitMillis = System.currentTimeMillis() - f.at;
      f.exitCode = p.exitCode();
      stack.restart(LocalStack.BROKER);
      f.downMillis = System.currentTimeMillis() - f.at;
      awaitRecovery(f);
    }

    /**
     * Waits until a new epoch is visible after the fault (the study progressed again) and, for a
     * fault on a worker, until the trial it was training has a new epoch (its segment was leased
     * again and resumed); both bounded.
     */
    void awaitRecovery(Fault f) throws InterruptedException {
      await(
          "a new epoch after " + f.name,
          PROGRESS_TIMEOUT,
          () -> observer.firstNewAfter(f.at, s -> true).isPresent());
      f.recoveryMillis = observer.firstNewAfter(f.at, s -> true).get().firstSeenAt - f.at;
      if (f.affectedTrial != null) {
        long deadline = System.currentTimeMillis() + RESUME_TIMEOUT.toMillis();
        Predicate<Seen> ofTrial = s -> s.trialId.equals(f.affectedTrial);
        while (System.currentTimeMillis() < deadline
            && observer.firstNewAfter(f.at, ofTrial).isEmpty()) {
          Thread.sleep(250);
        }
        observer
            .firstNewAfter(f.at, ofTrial)
            .ifPresent(s -> f.trialResumedMillis = s.firstSeenAt - f.at);
      }
      log(
          f.name
              + ": back after "
              + f.downMillis
              + " ms; next epoch after "
              + f.recoveryMillis
              + " ms"
              + (f.affectedTrial == null
                  ? ""
                  : "; " + f.affectedTrial + " resumed after " + f.trialResumedMillis + " ms"));
    }

    record Candidate(String process, String trialId, int toEpoch) {}

    static final java.util.regex.Pattern LEASE_GRANTED =
        java.util.regex.Pattern.compile(
            "lease ([0-9a-fA-F-]{8,}): segment (\\S+)#(\\d+)#(\\d+)-(\\d+)");

    /**
     * The segment a worker trains now, from its log: the last lease it was granted and has not
     * ended yet (completed, released, failed or given up).
     */
    Optional<Candidate> openLease(String process) {
      ServiceProcess p = stack.process(process);
      if (!p.isAlive()) {
        return Optional.empty();
      }
      String log = p.currentLog();
      java.util.regex.Matcher m = LEASE_GRANTED.matcher(log);
      Candidate last = null;
      String leaseId = null;
      int at = -1;
      while (m.find()) {
        leaseId = m.group(1);
        last = new Candidate(process, m.group(2), Integer.parseInt(m.group(5)));
        at = m.end();
      }
      if (last == null) {
        return Optional.empty();
      }
      String after = log.substring(at);
      if (after.contains("lease " + leaseId + " ") || after.contains("lease loop stopped")) {
        return Optional.empty();
      }
      return Optional.of(last);
    }

    /**
     * A worker in the middle of a segment: it holds a lease (its log says so), and an epoch of that
     * segment became visible since we started looking, with at least one more epoch to go, so that
     * the segment has checkpointed progress and the fault lands before its end. Workers not hit yet
     * are preferred while one of them qualifies within 15 s. Falls back to any worker holding a
     * lease after 60 s.
     */
    Candidate nextBusyWorker() throws InterruptedException {
      long since = System.currentTimeMillis();
      long deadline = since + Duration.ofSeconds(90).toMillis();
      while (System.currentTimeMillis() < deadline) {
        long waited = System.currentTimeMillis() - since;
        List<Candidate> ready = new ArrayList<>();
        List<Candidate> holding = new ArrayList<>();
        for (int i = 1; i <= WORKERS; i++) {
          Optional<Candidate> c = openLease(LocalStack.workerName(i));
          if (c.isEmpty()) {
            continue;
          }
          holding.add(c.get());
          Candidate cand = c.get();
          if (observer
              .firstNewAfter(
                  since, s -> s.trialId.equals(cand.trialId()) && s.epoch < cand.toEpoch() - 1)
              .isPresent()) {
            ready.add(cand);
          }
        }
        Optional<Candidate> fresh =
            ready.stream().filter(c -> !hitWorkers.contains(c.process())).findFirst();
        if (fresh.isPresent()) {
          return fresh.get();
        }
        if (!ready.isEmpty() && waited > 15_000) {
          return ready.get(0);
        }
        if (!holding.isEmpty() && waited > 60_000) {
          notes.add(
              "no worker was mid-segment within 60 s; "
                  + holding.get(0).process()
                  + " hit while it held a lease");
          return holding.get(0);
        }
        Thread.sleep(100);
      }
      throw new AssertionError(
          "no worker held a lease within 90 s: the study ran out of work before every fault was"
              + " injected (make it longer: -Dsharpsweep.test.faults.trials)");
    }

    /** About a third of an epoch, from the epochs seen so far, so that a kill lands mid-epoch. */
    long midEpochDelay() {
      List<Long> gaps = observer.epochGaps();
      if (gaps.isEmpty()) {
        return 1000;
      }
      long median = gaps.get(gaps.size() / 2);
      return Math.max(300, Math.min(4000, median / 3));
    }

    static String processOf(String workerId) {
      if (workerId == null) {
        return null;
      }
      for (int i = 1; i <= WORKERS; i++) {
        if (workerId.equals(LocalStack.workerId(i))) {
          return LocalStack.workerName(i);
        }
      }
      return null;
    }

    /**
     * Every epoch report of the study on the reports topic: the ones published more than once per
     * (trial, epoch) were trained twice; each is charged to the last fault before its second copy.
     */
    void countKafkaReports(String bootstrap) {
      try (TopicProbe probe = new TopicProbe(bootstrap, Topics.REPORTS)) {
        Predicate<ConsumerRecord<String, byte[]>> ofStudy =
            r -> r.key() != null && r.key().startsWith(studyId);
        probe.await(ofStudy, TRIALS * EPOCHS, Duration.ofSeconds(30));
        List<ConsumerRecord<String, byte[]>> records = probe.settle(ofStudy, Duration.ofSeconds(2));
        Map<String, List<Long>> byEpoch = new TreeMap<>();
        int published = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
          ReportMessage m;
          try {
            m = Json.decode(r.value(), ReportMessage.class);
          } catch (RuntimeException e) {
            continue;
          }
          if (m instanceof EpochReport e) {
            published++;
            byEpoch
                .computeIfAbsent(e.trialId() + "/" + e.epoch(), k -> new ArrayList<>())
                .add(r.timestamp());
          }
        }
        reportsPublished = published;
        distinctReportsPublished = byEpoch.size();
        int twice = 0;
        for (List<Long> times : byEpoch.values()) {
          Collections.sort(times);
          for (int i = 1; i < times.size(); i++) {
            twice++;
            long t = times.get(i);
            faults.stream()
                .filter(f -> f.at <= t)
                .max(Comparator.comparingLong(f -> f.at))
                .ifPresent(f -> f.duplicateReports++);
          }
        }
        duplicateReports = twice;
        if (distinctReportsPublished < TRIALS * EPOCHS) {
          notes.add(
              "the reports topic holds "
                  + distinctReportsPublished
                  + " of "
                  + TRIALS * EPOCHS
                  + " epochs: the broker lost records across its restart");
        }
      }
    }

    static final java.util.regex.Pattern SEGMENT_DONE =
        java.util.regex.Pattern.compile(
            "segment (\\S+)#\\S* done: (\\d+) epochs trained, (\\d+) re-sent");
    static final java.util.regex.Pattern SEGMENT_STOPPED =
        java.util.regex.Pattern.compile(
            "segment (\\S+)#\\S* stopped in epoch (\\d+) after (\\d+) of (\\d+) iterations");

    /**
     * From the workers' logs (every incarnation): reports a worker sent again without training (its
     * segment had been checkpointed but not confirmed), and the fractions of epochs that were under
     * way when a segment was stopped.
     */
    void countWorkerLogs() {
      int resent = 0;
      double partial = 0;
      for (int i = 1; i <= WORKERS; i++) {
        String log;
        try {
          log = Files.readString(stack.process(LocalStack.workerName(i)).log());
        } catch (IOException e) {
          notes.add("cannot read the log of " + LocalStack.workerName(i) + ": " + e.getMessage());
          return;
        }
        java.util.regex.Matcher d = SEGMENT_DONE.matcher(log);
        while (d.find()) {
          if (d.group(1).startsWith(studyId)) {
            resent += Integer.parseInt(d.group(3));
          }
        }
        java.util.regex.Matcher st = SEGMENT_STOPPED.matcher(log);
        while (st.find()) {
          if (st.group(1).startsWith(studyId)) {
            partial += Double.parseDouble(st.group(3)) / Double.parseDouble(st.group(4));
          }
        }
      }
      reportsResent = resent;
      partialEpochs = partial;
    }

    /**
     * From the database: every epoch of every trial exactly once; lease intervals of one segment
     * never overlap; per trial, a worker's epochs form one run unless that worker was hit by a
     * fault in between.
     */
    void checkDatabase(Connection c, SoftAssertions soft) throws SQLException {
      record Report(String trialId, int attempt, int epoch, String workerId, long receivedAt) {}
      List<Report> reports = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT trial_id, attempt, epoch, worker_id, received_at FROM epoch_reports"
                  + " WHERE study_id = ? ORDER BY trial_id, epoch, received_at")) {
        ps.setString(1, studyId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Timestamp ts = rs.getTimestamp(5);
            reports.add(
                new Report(
                    rs.getString(1),
                    rs.getInt(2),
                    rs.getInt(3),
                    rs.getString(4),
                    ts == null ? 0 : ts.getTime()));
          }
        }
      }
      epochsStored = reports.size();
      checkLeases(c, soft);
      Map<String, List<Report>> byTrial = new TreeMap<>();
      reports.forEach(r -> byTrial.computeIfAbsent(r.trialId(), k -> new ArrayList<>()).add(r));
      soft.assertThat(byTrial).as("trials with epoch reports in the database").hasSize(TRIALS);
      for (Map.Entry<String, List<Report>> e : byTrial.entrySet()) {
        List<Integer> epochs = e.getValue().stream().map(Report::epoch).sorted().toList();
        soft.assertThat(epochs)
            .as(
                "epochs of %s in epoch_reports (each exactly once, any attempt; stored"
                    + " epoch@attempt by worker at: %s; leases: %s)",
                e.getKey(),
                e.getValue().stream()
                    .map(
                        r ->
                            r.epoch()
                                + "@"
                                + r.attempt()
                                + " by "
                                + r.workerId()
                                + " at "
                                + Instant.ofEpochMilli(r.receivedAt()))
                    .toList(),
                leaseLog.getOrDefault(e.getKey(), List.of()))
            .isEqualTo(oneToMax());
        // A,B,A: a worker comes back to a trial only after a fault hit it in between
        List<Report> ordered =
            e.getValue().stream().sorted(Comparator.comparingInt(Report::epoch)).toList();
        List<Report> runStarts = new ArrayList<>();
        for (Report r : ordered) {
          if (runStarts.isEmpty()
              || !String.valueOf(runStarts.get(runStarts.size() - 1).workerId())
                  .equals(String.valueOf(r.workerId()))) {
            runStarts.add(r);
          }
        }
        for (int i = 0; i < runStarts.size(); i++) {
          for (int j = i + 2; j < runStarts.size(); j++) {
            Report earlier = runStarts.get(i);
            Report later = runStarts.get(j);
            if (!String.valueOf(earlier.workerId()).equals(String.valueOf(later.workerId()))) {
              continue;
            }
            String proc = processOf(earlier.workerId());
            boolean faulted =
                faults.stream()
                    .anyMatch(
                        f ->
                            f.target.equals(proc)
                                && f.at >= earlier.receivedAt() - 5_000
                                && f.at <= later.receivedAt());
            soft.assertThat(faulted)
                .as(
                    "%s: worker %s reported epoch %d, another worker later epochs, then %s epoch %d"
                        + " again without a fault on it in between (interleaved workers: %s)",
                    e.getKey(),
                    earlier.workerId(),
                    earlier.epoch(),
                    later.workerId(),
                    later.epoch(),
                    ordered.stream().map(r -> r.epoch() + ":" + r.workerId()).toList())
                .isTrue();
          }
        }
      }
      // the first epoch stored from the lease that took the segment over after the fault
      for (Fault f : faults) {
        if (f.affectedTrial == null || f.leasedAgainMillis == null) {
          continue;
        }
        long leasedAt = f.at + f.leasedAgainMillis;
        byTrial.getOrDefault(f.affectedTrial, List.of()).stream()
            .filter(r -> r.receivedAt() >= leasedAt)
            .mapToLong(Report::receivedAt)
            .min()
            .ifPresent(t -> f.firstEpochStoredMillis = t - f.at);
      }
    }

    /**
     * From {@code segment_leases} (every lease ever granted, {@code ended_at} null while held): the
     * lease intervals [granted_at, ended_at] of one trial never overlap, and the lease that the
     * SIGTERM'd worker held was handed back ({@code released}).
     */
    void checkLeases(Connection c, SoftAssertions soft) throws SQLException {
      leaseTable = findTable(c, "segment_leases");
      if (leaseTable == null) {
        soft.fail("the store's database has no segment_leases table (tables: " + tables(c) + ")");
        return;
      }
      record LeaseRow(
          String leaseId,
          long segmentId,
          String trialId,
          int attempt,
          String workerId,
          long grantedAt,
          Long endedAt,
          String outcome) {
        String describe() {
          return "attempt "
              + attempt
              + " "
              + workerId
              + " "
              + Instant.ofEpochMilli(grantedAt)
              + ".."
              + (endedAt == null ? "held" : Instant.ofEpochMilli(endedAt))
              + " "
              + outcome;
        }
      }
      List<LeaseRow> rows = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT lease_id, segment_id, trial_id, attempt, worker_id, granted_at, ended_at,"
                  + " outcome FROM "
                  + leaseTable
                  + " WHERE study_id = ? ORDER BY trial_id, granted_at")) {
        ps.setString(1, studyId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(
                new LeaseRow(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getInt(4),
                    rs.getString(5),
                    millis(rs.getTimestamp(6)),
                    millis(rs.getTimestamp(7)),
                    rs.getString(8)));
          }
        }
      }
      leasesRecorded = rows.size();
      rows.forEach(r -> leaseOutcomes.merge(String.valueOf(r.outcome()), 1, Integer::sum));
      soft.assertThat(rows).as("leases of the study in " + leaseTable).isNotEmpty();
      Map<String, List<LeaseRow>> byTrial = new TreeMap<>();
      rows.forEach(r -> byTrial.computeIfAbsent(r.trialId(), k -> new ArrayList<>()).add(r));
      for (Map.Entry<String, List<LeaseRow>> e : byTrial.entrySet()) {
        List<LeaseRow> l = e.getValue();
        List<String> all = l.stream().map(LeaseRow::describe).toList();
        leaseLog.put(e.getKey(), all);
        for (int i = 1; i < l.size(); i++) {
          LeaseRow prev = l.get(i - 1);
          soft.assertThat(prev.endedAt())
              .as(
                  "lease %d of %s ended before lease %d was granted (leases: %s)",
                  i, e.getKey(), i + 1, all)
              .isNotNull();
          if (prev.endedAt() != null) {
            soft.assertThat(l.get(i).grantedAt())
                .as(
                    "lease %d of %s granted after lease %d ended (leases: %s)",
                    i + 1, e.getKey(), i, all)
                .isGreaterThanOrEqualTo(prev.endedAt());
          }
        }
        soft.assertThat(l.get(l.size() - 1).outcome())
            .as("how the last lease of %s ended (leases: %s)", e.getKey(), all)
            .isEqualTo("completed");
      }
      for (Fault f : faults) {
        if (f.affectedTrial == null) {
          continue;
        }
        rows.stream()
            .filter(r -> r.trialId().equals(f.affectedTrial) && r.grantedAt() > f.at)
            .mapToLong(LeaseRow::grantedAt)
            .min()
            .ifPresent(t -> f.leasedAgainMillis = t - f.at);
      }
      for (Fault f : faults) {
        if (!f.name.startsWith("SIGTERM worker") || f.affectedTrial == null) {
          continue;
        }
        String worker = workerIdOf(f.target);
        Optional<LeaseRow> held =
            rows.stream()
                .filter(r -> r.workerId().equals(worker))
                .filter(r -> r.grantedAt() <= f.at)
                .filter(r -> r.endedAt() == null || r.endedAt() >= f.at)
                .findFirst();
        soft.assertThat(held).as("the lease %s held when it got SIGTERM", worker).isPresent();
        held.ifPresent(
            r -> {
              f.leaseOutcome = r.outcome();
              soft.assertThat(r.outcome())
                  .as("how the lease %s held at SIGTERM ended (%s)", worker, r.describe())
                  .isEqualTo("released");
            });
      }
      for (Fault f : faults) {
        if (!f.name.startsWith("kill -9 worker")) {
          continue;
        }
        String worker = workerIdOf(f.target);
        rows.stream()
            .filter(r -> r.workerId().equals(worker))
            .filter(r -> r.grantedAt() <= f.at)
            .filter(r -> r.endedAt() == null || r.endedAt() >= f.at)
            .findFirst()
            .ifPresent(r -> f.leaseOutcome = r.outcome());
      }
    }

    static String workerIdOf(String process) {
      for (int i = 1; i <= WORKERS; i++) {
        if (process.equals(LocalStack.workerName(i))) {
          return LocalStack.workerId(i);
        }
      }
      return process;
    }

    void writeMatrix(Path file) {
      ObjectNode root = Json.mapper().createObjectNode();
      root.put("database", db);
      root.put("study", studyId);
      root.put("trials", TRIALS);
      root.put("maxEpochs", EPOCHS);
      root.put("workers", WORKERS);
      root.put("trainLimit", TRAIN_LIMIT);
      root.put("variant", VARIANT);
      root.put("stackStartSeconds", stackSeconds);
      root.put("studySeconds", studySeconds);
      ArrayNode fs = root.putArray("faults");
      for (Fault f : faults) {
        ObjectNode o = fs.addObject();
        o.put("fault", f.name);
        o.put("process", f.target);
        o.put("atSeconds", (f.at - studyPostedAt) / 1000.0);
        if (f.affectedTrial != null) {
          o.put("trial", f.affectedTrial);
        }
        if (f.exitMillis != null) {
          o.put("exitSeconds", f.exitMillis / 1000.0);
          o.put("exitCode", f.exitCode);
        }
        putSeconds(o, "processBackSeconds", f.downMillis);
        putSeconds(o, "recoverySeconds", f.recoveryMillis);
        if (f.affectedTrial != null) {
          putSeconds(o, "segmentLeasedAgainSeconds", f.leasedAgainMillis);
          putSeconds(o, "trialResumedSeconds", f.firstEpochStoredMillis);
          putSeconds(o, "trialSeenOverRestSeconds", f.trialResumedMillis);
        }
        o.put("duplicateEpochReports", f.duplicateReports);
        if (f.leaseOutcome != null) {
          o.put("leaseOutcome", f.leaseOutcome);
        }
      }
      ObjectNode totals = root.putObject("totals");
      totals.put("epochReportsPublished", reportsPublished);
      totals.put("distinctEpochsPublished", distinctReportsPublished);
      totals.put("duplicateEpochReports", duplicateReports);
      totals.put("epochReportsResentWithoutTraining", reportsResent);
      totals.put(
          "epochsTrainedTwice",
          duplicateReports < 0 || reportsResent < 0
              ? -1
              : Math.max(0, duplicateReports - reportsResent));
      totals.put("partialEpochsStopped", Math.round(partialEpochs * 100) / 100.0);
      totals.put("epochReportsStored", epochsStored);
      totals.put("leases", leasesRecorded);
      ObjectNode outcomes = totals.putObject("leaseOutcomes");
      leaseOutcomes.forEach(outcomes::put);
      if (observer != null) {
        totals.put("visibleEpochsMax", observer.maxCount);
        totals.put("visibleEpochsDecreases", observer.decreases.size());
        totals.put("storePolls", observer.polls);
        totals.put("storePollsUnanswered", observer.failedPolls);
      }
      ArrayNode n = root.putArray("notes");
      notes.forEach(n::add);
      if (observer != null) {
        observer.decreases.forEach(n::add);
      }
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(
            file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      System.out.println("[faults] fault matrix (" + file + "):");
      System.out.println(table(root));
    }

    static void putSeconds(ObjectNode o, String name, Long millis) {
      if (millis == null) {
        o.putNull(name);
      } else {
        o.put(name, millis / 1000.0);
      }
    }

    static String table(ObjectNode root) {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-26s %-14s %8s %9s %9s %9s %9s %7s%n",
              "fault",
              "process",
              "at (s)",
              "back (s)",
              "next ep.",
              "re-lease",
              "resumed",
              "dup."));
      for (JsonNode f : root.path("faults")) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-26s %-14s %8.1f %9s %9s %9s %9s %7d%n",
                f.path("fault").asText(),
                f.path("process").asText(),
                f.path("atSeconds").asDouble(),
                num(f.path("processBackSeconds")),
                num(f.path("recoverySeconds")),
                num(f.path("segmentLeasedAgainSeconds")),
                num(f.path("trialResumedSeconds")),
                f.path("duplicateEpochReports").asInt()));
      }
      sb.append("  totals: ").append(root.path("totals")).append(System.lineSeparator());
      sb.append("  study: ")
          .append(root.path("studySeconds").asDouble())
          .append(" s from posting to completed; stack start ")
          .append(root.path("stackStartSeconds").asDouble())
          .append(" s");
      return sb.toString();
    }

    static String num(JsonNode n) {
      return n.isMissingNode() || n.isNull()
          ? "-"
          : String.format(Locale.ROOT, "%.1f", n.asDouble());
    }
  }

  /** What the observer saw of one stored epoch, and when it first saw it. */
  record Seen(
      String trialId,
      int attempt,
      int epoch,
      String workerId,
      boolean finalEpoch,
      long receivedAt,
      long firstSeenAt) {}

  /**
   * Polls the store's trials endpoint every 0.5 s for the whole run: when each epoch first became
   * visible, and every moment the number of visible epochs fell below what was visible before.
   */
  static final class Observer implements AutoCloseable {
    final HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    final String url;
    final Map<String, Seen> seen = new ConcurrentHashMap<>();
    final List<String> decreases = Collections.synchronizedList(new ArrayList<>());
    volatile int lastCount = -1;
    volatile int maxCount;
    volatile int polls;
    volatile int failedPolls;
    private volatile boolean stopped;
    private final Thread thread;

    Observer(String url) {
      this.url = url;
      thread = new Thread(this::loop, "store-observer");
      thread.setDaemon(true);
      thread.start();
    }

    private void loop() {
      while (!stopped) {
        pollOnce();
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    synchronized void pollOnce() {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          failedPolls++;
          return;
        }
        JsonNode trials = Json.mapper().readTree(r.body());
        long now = System.currentTimeMillis();
        int count = 0;
        for (JsonNode t : trials) {
          String tid = t.path("trialId").asText();
          for (JsonNode e : t.path("epochs")) {
            count++;
            int attempt = e.path("attempt").asInt();
            int epoch = e.path("epoch").asInt();
            String worker = e.path("workerId").isNull() ? null : e.path("workerId").asText(null);
            boolean fin = e.path("final").asBoolean(false);
            JsonNode at = e.path("receivedAt");
            long received =
                at.isNumber() ? (long) (at.asDouble() * 1000) : parseInstant(at.asText(null));
            seen.putIfAbsent(
                tid + "/" + attempt + "/" + epoch,
                new Seen(tid, attempt, epoch, worker, fin, received, now));
          }
        }
        if (count < maxCount) {
          decreases.add(
              Instant.ofEpochMilli(now)
                  + ": the store showed "
                  + count
                  + " epochs after it had shown "
                  + maxCount);
        }
        maxCount = Math.max(maxCount, count);
        lastCount = count;
        polls++;
      } catch (IOException e) {
        failedPolls++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /**
     * The first epoch that the store stored after {@code t} (its {@code receivedAt}) and that
     * became visible after {@code t}, among those that match.
     */
    Optional<Seen> firstNewAfter(long t, Predicate<Seen> match) {
      return seen.values().stream()
          .filter(s -> s.firstSeenAt > t && (s.receivedAt == 0 || s.receivedAt > t))
          .filter(match)
          .min(Comparator.comparingLong(Seen::firstSeenAt));
    }

    /** Times between consecutive epochs of one trial by one worker, sorted. */
    List<Long> epochGaps() {
      Map<String, List<Seen>> byTrial = new HashMap<>();
      seen.values().forEach(s -> byTrial.computeIfAbsent(s.trialId, k -> new ArrayList<>()).add(s));
      List<Long> gaps = new ArrayList<>();
      for (List<Seen> l : byTrial.values()) {
        l.sort(Comparator.comparingInt(Seen::epoch));
        for (int i = 1; i < l.size(); i++) {
          Seen a = l.get(i - 1);
          Seen b = l.get(i);
          if (b.epoch == a.epoch + 1
              && String.valueOf(a.workerId).equals(String.valueOf(b.workerId))) {
            long gap = b.firstSeenAt - a.firstSeenAt;
            if (gap > 0) {
              gaps.add(gap);
            }
          }
        }
      }
      Collections.sort(gaps);
      return gaps;
    }

    @Override
    public void close() {
      stopped = true;
      thread.interrupt();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static JsonNode awaitSchedulerAgrees(ServiceClient client, String scheduler, String id)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    JsonNode last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        last = client.get(scheduler + "/v1/studies/" + id);
        if (last.path("completed").asInt() == TRIALS
            && last.path("state").asText().equals("completed")) {
          return last;
        }
      } catch (ServiceClient.ServiceException e) {
        // restarted moments ago: ask again
      }
      Thread.sleep(500);
    }
    assertThat(last).as("the scheduler's view of study " + id).isNotNull();
    return last;
  }

  static String stateOf(ServiceClient client, String url) {
    try {
      return client.get(url).path("state").asText();
    } catch (ServiceClient.ServiceException e) {
      return null;
    }
  }

  static List<Integer> oneToMax() {
    List<Integer> l = new ArrayList<>();
    for (int i = 1; i <= EPOCHS; i++) {
      l.add(i);
    }
    return l;
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
  }

  static Map<String, String> extraProperties() {
    Map<String, String> m = new LinkedHashMap<>();
    String spec = System.getProperty("sharpsweep.test.faults.extra", "");
    for (String kv : spec.split(",")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
    }
    return m;
  }

  static String findTable(Connection c, String name) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    for (String candidate : List.of(name, name.toUpperCase(Locale.ROOT))) {
      try (ResultSet rs = md.getTables(null, null, candidate, new String[] {"TABLE"})) {
        if (rs.next()) {
          return rs.getString("TABLE_NAME");
        }
      }
    }
    return null;
  }

  static List<String> tables(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        String schema = rs.getString("TABLE_SCHEM");
        if (schema == null || !schema.equalsIgnoreCase("information_schema")) {
          names.add(rs.getString("TABLE_NAME"));
        }
      }
    }
    return names;
  }

  static Long millis(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Timestamp t) {
      return t.getTime();
    }
    if (v instanceof java.time.OffsetDateTime o) {
      return o.toInstant().toEpochMilli();
    }
    if (v instanceof java.time.Instant i) {
      return i.toEpochMilli();
    }
    if (v instanceof java.time.LocalDateTime l) {
      return l.atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    return null;
  }

  /** Epoch millis of an ISO-8601 instant (with or without offset), 0 if absent or unreadable. */
  static long parseInstant(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return Instant.parse(text).toEpochMilli();
      } catch (java.time.format.DateTimeParseException again) {
        return 0;
      }
    }
  }

  static double secondsSince(long t) {
    return (System.currentTimeMillis() - t) / 1000.0;
  }

  static void log(String line) {
    System.out.println("[faults] " + Instant.now() + " " + line);
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
