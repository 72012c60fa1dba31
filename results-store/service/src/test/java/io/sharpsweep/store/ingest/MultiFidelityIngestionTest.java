package io.sharpsweep.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.RungDecision;
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
import io.sharpsweep.store.db.DatabaseKind;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.RungResultRepository;
import io.sharpsweep.store.db.RungResultRow;
import io.sharpsweep.store.db.SegmentRepository;
import io.sharpsweep.store.db.SegmentRow;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.service.ControlPlane;
import io.sharpsweep.store.service.ControlQueries;
import io.sharpsweep.store.service.ControlSettings;
import io.sharpsweep.store.service.LeaseSignal;
import io.sharpsweep.store.service.StoreClock;
import io.sharpsweep.store.service.StudyControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingestion's multi-fidelity decisions on a real (in-memory H2, migrated by Flyway) database,
 * without Quarkus or Kafka: what each record decides, in which order, idempotence, refusal of
 * reports of studies or trials the control plane has not created, and a "restart" (fresh ingestion
 * objects over the same database) that decides as if nothing happened.
 */
class MultiFidelityIngestionTest {
  private StoreDatabase db;
  private ReportIngestion reports;
  private StudyControl control;

  @BeforeEach
  void freshDatabase() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(
        "jdbc:h2:mem:mf-"
            + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    db = new StoreDatabase(ds, DatabaseKind.H2);
    restart();
  }

  /** New ingestion objects over the same database: nothing but the database carries over. */
  private void restart() {
    ControlPlane plane = new ControlPlane(db, ControlSettings.DEFAULTS, new StoreClock());
    reports = new ReportIngestion(plane);
    control = new StudyControl(plane, new ControlQueries(plane), new LeaseSignal());
  }

  private static StudySpec spec(String scheduler, int trials, int maxAttempts) {
    return new StudySpec(
        "mf",
        new DatasetSpec("synthetic", null, 0.1, null, 100, 20),
        "mlp",
        List.of(
            new Objective("val_accuracy", Goal.MAXIMIZE),
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE)),
        List.of(ParamSpec.floatParam("lr", 0.001, 1.0, true)),
        Map.of(),
        new SamplerSpec("random", 1L, null),
        new SchedulerSpec(scheduler, 1, 9, 3),
        new Budget(trials, 2, maxAttempts),
        1L);
  }

  private List<String> study(String study, StudySpec spec) {
    control.create(new CreateStudy(study, spec, 1000));
    return pending(study);
  }

  private List<String> trial(String study, int number) {
    control.addTrials(study, new NewTrials(number, List.of(Map.of("lr", 0.1 * (number + 1)))));
    return pending(study);
  }

  private List<String> report(String study, int number, int attempt, int epoch, double accuracy) {
    EpochReport r =
        new EpochReport(
            1,
            study,
            TrialIds.trialId(study, number),
            attempt,
            epoch,
            new Metrics(accuracy, 1 - accuracy, 0.1, null),
            new Cost(1, 1, 10, 0, 0.5, epoch),
            "w",
            "file:///ckpt/t" + number + "/" + epoch,
            epoch == 9);
    return published(reports.ingest(r));
  }

  private List<String> fail(String study, int number, int attempt, int fromEpoch) {
    return published(
        reports.ingest(
            new TrialFailed(
                1, study, TrialIds.trialId(study, number), attempt, fromEpoch, "diverged", "w")));
  }

  /**
   * What the publisher would send (then marks it sent), as "action trial@rung epoch[->toEpoch]".
   */
  private List<String> published(Ingested ingested) {
    return published(ingested.decisions());
  }

  /** The study's decisions not published yet (those a control call took), marked sent. */
  private List<String> pending(String study) {
    List<PendingDecision> decisions =
        db.read("pending", c -> new RungBookkeeping().unpublished(c, study));
    return published(decisions);
  }

  private static String name(String trialId) {
    return "t" + Integer.parseInt(trialId.substring(trialId.lastIndexOf("-t") + 2));
  }

  private List<String> published(List<PendingDecision> decisions) {
    List<String> out = new ArrayList<>();
    for (PendingDecision p : decisions) {
      RungDecision d = p.decision();
      String trial = name(d.trialId());
      out.add(
          d.action().wireName()
              + " "
              + trial
              + "@"
              + d.rung()
              + " "
              + d.epoch()
              + (d.toEpoch() == null ? "" : "->" + d.toEpoch()));
      reports.markPublished(p.id());
    }
    return out;
  }

  private List<RungDecision> unpublishedAfter(Ingested ingested) {
    return ingested.decisions().stream().map(PendingDecision::decision).toList();
  }

  private List<RungResultRow> rows(String study) {
    return db.read("rows", c -> new RungResultRepository().listByStudy(c, study));
  }

  private TrialRow row(String study, int number) {
    return db.read(
        "t",
        c -> new TrialRepository().find(c, study, TrialIds.trialId(study, number)).orElseThrow());
  }

  @Test
  void ashaParksPromotesAnotherTrialAndSurvivesARestart() {
    String s = "asha-study";
    study(s, spec("asha", 9, 2));
    for (int i = 0; i < 6; i++) {
      trial(s, i);
    }
    assertThat(report(s, 0, 1, 1, 0.5)).containsExactly("park t0@0 1");
    assertThat(report(s, 1, 1, 1, 0.7)).containsExactly("park t1@0 1");
    // Third result at rung 0: the top third is t1 (accuracy 0.7), parked until now; t2 parks.
    assertThat(report(s, 2, 1, 1, 0.6)).containsExactly("promote t1@0 1->3", "park t2@0 1");
    assertThat(row(s, 1).state().wireName()).isEqualTo("running");
    assertThat(row(s, 2).state().wireName()).isEqualTo("parked");
    // A redelivered report decides nothing again.
    assertThat(report(s, 2, 1, 1, 0.6)).isEmpty();

    restart();
    assertThat(report(s, 3, 1, 1, 0.9)).containsExactly("promote t3@0 1->3");
    assertThat(report(s, 1, 1, 2, 0.72)).isEmpty(); // mid-segment epoch
    assertThat(report(s, 1, 1, 3, 0.75)).containsExactly("park t1@1 3");
    // A failure that will be retried decides only "failed"; the last attempt's failure also frees
    // its rung.
    assertThat(fail(s, 4, 1, 0)).containsExactly("failed t4@0 0");
    assertThat(fail(s, 4, 2, 0)).containsExactly("failed t4@0 0");
    // n0 = 5 results (t4's failure does not count): the top third is still t3 alone, promoted
    // already.
    assertThat(report(s, 5, 1, 1, 0.8)).containsExactly("park t5@0 1");
    List<RungResultRow> rows = rows(s);
    assertThat(rows)
        .extracting(
            r ->
                name(r.trialId())
                    + "@"
                    + r.rung()
                    + (r.promoted() ? "+" : "")
                    + (r.failed() ? "x" : ""))
        .containsExactly("t0@0", "t1@0+", "t2@0", "t3@0+", "t1@1", "t4@0x", "t5@0");
    assertThat(rows.get(1).objective1()).isEqualTo(0.7);
    assertThat(rows.get(1).objective2()).isEqualTo(1.0);
  }

  @Test
  void promotionsCarryTheCheckpointAndGoOutBeforeTheReportingTrialsDecision() {
    String s = "order-study";
    study(s, spec("asha", 9, 2));
    for (int i = 0; i < 3; i++) {
      trial(s, i);
      if (i < 2) {
        report(s, i, 1, 1, 0.9 - 0.1 * i);
      }
    }
    List<RungDecision> out = unpublishedAfter(reports.ingest(report0(s, 2, 0.5)));
    assertThat(out)
        .extracting(RungDecision::action)
        .containsExactly(RungDecision.Action.PROMOTE, RungDecision.Action.PARK);
    RungDecision promote = out.get(0);
    assertThat(promote.trialId()).isEqualTo(TrialIds.trialId(s, 0));
    assertThat(promote.epoch()).isEqualTo(1);
    assertThat(promote.toEpoch()).isEqualTo(3);
    assertThat(promote.checkpointUri()).isEqualTo("file:///ckpt/t0/1");
    assertThat(promote.metrics().valAccuracy()).isEqualTo(0.9);
    // Not marked published: a redelivery of the same report sends both again, in the same order.
    assertThat(unpublishedAfter(reports.ingest(report0(s, 2, 0.5)))).isEqualTo(out);
  }

  private static EpochReport report0(String study, int number, double accuracy) {
    return new EpochReport(
        1,
        study,
        TrialIds.trialId(study, number),
        1,
        1,
        new Metrics(accuracy, 0.5, 0.1, null),
        new Cost(1, 1, 10, 0, 0.5, 1),
        "w",
        "file:///ckpt/t" + number + "/1",
        false);
  }

  @Test
  void synchronousHalvingWaitsForTheBracketAndRefusesReportsOfTrialsNotCreated() {
    String s = "sha-study";
    study(s, spec("sha", 3, 2)); // one bracket of min(3^2, 3) = 3 trials
    // A report of a trial the control plane has not created is refused and creates nothing.
    assertThatThrownBy(() -> report(s, 0, 1, 1, 0.4))
        .isInstanceOf(UnknownRecordException.class)
        .hasMessage("unknown trial 'sha-study-t0000' in study 'sha-study'");
    List<TrialRow> none = db.read("t", c -> new TrialRepository().listByStudy(c, s));
    assertThat(none).isEmpty();
    trial(s, 0);
    trial(s, 1);
    trial(s, 2);
    assertThat(report(s, 0, 1, 1, 0.4)).containsExactly("park t0@0 1");
    assertThat(report(s, 1, 1, 1, 0.8)).containsExactly("park t1@0 1");
    // The bracket's last result: max(1, floor(3/3)) = 1 goes on.
    assertThat(report(s, 2, 1, 1, 0.6)).containsExactly("promote t1@0 1->3", "park t2@0 1");
    assertThat(report(s, 1, 1, 3, 0.85)).containsExactly("promote t1@1 3->9");
    assertThat(report(s, 1, 1, 9, 0.9)).containsExactly("complete t1@2 9");
    assertThat(row(s, 1).state().wireName()).isEqualTo("completed");
    assertThat(row(s, 0).state().wireName()).isEqualTo("parked");
  }

  @Test
  void aPermanentFailureLetsASynchronousRungDecideAheadOfTheFailure() {
    String s = "sha-fail";
    study(s, spec("sha", 3, 1));
    for (int i = 0; i < 3; i++) {
      trial(s, i);
    }
    report(s, 0, 1, 1, 0.4);
    report(s, 1, 1, 1, 0.8);
    // maxAttempts 1: t2's failure is final, the rung has all three; the promotion goes out before
    // the failure.
    assertThat(fail(s, 2, 1, 0)).containsExactly("promote t1@0 1->3", "failed t2@0 0");
  }

  @Test
  void noneCompletesOnTheFinalReportAndAReportOfAnUnknownStudyCreatesNothing() {
    String s = "none-study";
    EpochReport last =
        new EpochReport(
            1,
            s,
            TrialIds.trialId(s, 0),
            1,
            9,
            new Metrics(0.8, 0.2, 0.1, null),
            new Cost(1, 1, 10, 0, 0.5, 9),
            "w",
            "c",
            true);
    assertThatThrownBy(() -> reports.ingest(last))
        .isInstanceOf(UnknownRecordException.class)
        .hasMessage("unknown study 'none-study'");
    assertThatThrownBy(
            () ->
                reports.ingest(
                    new TrialFailed(1, s, TrialIds.trialId(s, 0), 1, 0, "diverged", "w")))
        .isInstanceOf(UnknownRecordException.class)
        .hasMessage("unknown study 'none-study'");
    java.util.Optional<io.sharpsweep.store.db.StudyRow> phantom =
        db.read("s", c -> new StudyRepository().find(c, s));
    assertThat(phantom).isEmpty();
    study(s, spec("none", 4, 2));
    trial(s, 0);
    assertThat(published(reports.ingest(last))).containsExactly("complete t0@0 9");
    assertThat(rows(s))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rung()).isZero();
              assertThat(r.epoch()).isEqualTo(9);
            });
    // A redelivery decides nothing again.
    assertThat(published(reports.ingest(last))).isEmpty();
  }

  private static EpochReport epoch(String study, int number, int epoch, double accuracy) {
    return new EpochReport(
        1,
        study,
        TrialIds.trialId(study, number),
        1,
        epoch,
        new Metrics(accuracy, 1 - accuracy, 0.1, null),
        new Cost(1, 1, 10, 0, 0.5, epoch),
        "w",
        "file:///ckpt/t" + number + "/" + epoch,
        epoch == 9);
  }

  /** One batch's outcomes and published decisions, as {@link #published}. */
  private List<String> batch(String study, List<EpochReport> records) {
    ReportIngestion.StudyBatch b = reports.ingestBatch(study, records);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      out.add(String.valueOf(b.outcomes().get(i)));
    }
    out.addAll(published(b.decisions()));
    return out;
  }

  @Test
  void aNoneBatchWithFinalReportsAmongOtherTrialsDecidesEachFinalReportOnce() {
    String s = "none-batch";
    study(s, spec("none", 4, 2));
    for (int i = 0; i < 4; i++) {
      trial(s, i);
    }
    // t0's and t1's final reports close their segments in the middle of the batch; the records of
    // the other trials after them, and t0's redelivered final report, go on from the cached rows.
    List<EpochReport> records =
        List.of(
            epoch(s, 0, 8, 0.5),
            epoch(s, 1, 8, 0.6),
            epoch(s, 0, 9, 0.55),
            epoch(s, 2, 1, 0.2),
            epoch(s, 1, 9, 0.65),
            epoch(s, 2, 2, 0.3),
            epoch(s, 0, 9, 0.55),
            epoch(s, 2, 9, 0.4));
    assertThat(batch(s, records))
        .containsExactly(
            "STORED",
            "STORED",
            "STORED",
            "STORED",
            "STORED",
            "STORED",
            "DUPLICATE",
            "STORED",
            "complete t0@0 9",
            "complete t1@0 9",
            "complete t2@0 9");
    for (int i = 0; i < 3; i++) {
      TrialRow t = row(s, i);
      assertThat(t.state().wireName()).isEqualTo("completed");
      assertThat(t.lastEpoch()).isEqualTo(9);
      assertThat(t.attempt()).isEqualTo(1);
    }
    assertThat(row(s, 3).state().wireName()).isEqualTo("running");
    assertThat(row(s, 3).lastEpoch()).isNull();
    // Only t3's segment is still active: the batch closed the three others.
    List<SegmentRow> active =
        db.read(
            "active",
            c ->
                new SegmentRepository()
                    .activeOfTrials(
                        c, List.of(0, 1, 2, 3).stream().map(n -> TrialIds.trialId(s, n)).toList()));
    assertThat(active).extracting(SegmentRow::trialId).containsExactly(TrialIds.trialId(s, 3));
    long stored = db.read("count", c -> new ReportRepository().countByStudy(c, s));
    assertThat(stored).isEqualTo(7L);
    // The whole batch delivered again stores and decides nothing.
    assertThat(batch(s, records))
        .containsExactly(
            "DUPLICATE",
            "DUPLICATE",
            "DUPLICATE",
            "DUPLICATE",
            "DUPLICATE",
            "DUPLICATE",
            "DUPLICATE",
            "DUPLICATE");
  }

  @Test
  void anAshaBatchDecidesAsItsRecordsOneByOneWhenARecordMovesAnotherTrial() {
    // t2's arrival promotes t1, whose next reports come later in the same batch: they must see t1
    // running again, as they would one record per transaction.
    List<int[]> steps =
        List.of(
            new int[] {0, 1, 50}, new int[] {1, 1, 70}, new int[] {2, 1, 60}, new int[] {1, 2, 72});
    String one = "asha-one";
    String all = "asha-all";
    List<String> expected = new ArrayList<>();
    List<EpochReport> records = new ArrayList<>();
    for (String s : List.of(one, all)) {
      study(s, spec("asha", 9, 2));
      for (int i = 0; i < 4; i++) {
        trial(s, i);
      }
    }
    for (int[] st : steps) {
      expected.addAll(report(one, st[0], 1, st[1], st[2] / 100.0));
      records.add(epoch(all, st[0], st[1], st[2] / 100.0));
    }
    assertThat(expected)
        .containsExactly("park t0@0 1", "park t1@0 1", "promote t1@0 1->3", "park t2@0 1");
    assertThat(batch(all, records)).endsWith(expected.toArray(String[]::new));
    for (int i = 0; i < 3; i++) {
      assertThat(row(all, i).state()).isEqualTo(row(one, i).state());
      assertThat(row(all, i).lastEpoch()).isEqualTo(row(one, i).lastEpoch());
    }
    assertThat(row(all, 1).state().wireName()).isEqualTo("running");
    assertThat(row(all, 1).lastEpoch()).isEqualTo(2);
  }
}
