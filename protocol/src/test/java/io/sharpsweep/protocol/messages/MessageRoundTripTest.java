package io.sharpsweep.protocol.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.control.Heartbeat;
import io.sharpsweep.protocol.study.DatasetSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageRoundTripTest {
  private static final Cost COST = new Cost(20, 20, 2560, 0.0, 1.5, 1.0);
  private static final Metrics METRICS = new Metrics(0.81, 0.52, 0.61, null);

  @Test
  void segmentAssignmentRoundTrips() {
    SegmentAssignment a =
        new SegmentAssignment(
            1,
            "s1",
            "t1",
            2,
            Map.of("lr", 0.05, "variant", "sam", "batch-size", 128),
            1,
            3,
            3,
            "file:/tmp/c",
            new DatasetSpec("fashion-mnist", null, 0.1, 0.2, 2000, null),
            "mlp",
            42L);
    SegmentAssignment back = Json.decode(Json.encode(a), SegmentAssignment.class);
    assertThat(back).isEqualTo(a);
    assertThat(back.config().get("batch-size")).isInstanceOf(Integer.class);
    assertThat(back.segmentKey()).isEqualTo("t1#2#1-3");
  }

  @Test
  void reportsCarryTheirTypeAndTheFinalFlag() {
    EpochReport r = new EpochReport(1, "s1", "t1", 1, 2, METRICS, COST, "w1", "file:/c", true);
    String json = Json.encodeToString(r);
    assertThat(json)
        .contains("\"type\":\"epoch-report\"")
        .contains("\"final\":true")
        .doesNotContain("finalEpoch")
        .doesNotContain("testAccuracy");
    assertThat(Json.decode(json, ReportMessage.class)).isEqualTo(r);

    assertThat(json).doesNotContain("leaseId");
    EpochReport leased = r.underLease("lease-7");
    assertThat(Json.encodeToString(leased)).contains("\"leaseId\":\"lease-7\"");
    assertThat(Json.decode(Json.encode(leased), ReportMessage.class)).isEqualTo(leased);

    TrialFailed f = new TrialFailed(1, "s1", "t2", 1, 0, "loss is NaN", "w2");
    assertThat(Json.decode(Json.encode(f), ReportMessage.class)).isEqualTo(f);
  }

  @Test
  void decisionsRoundTrip() {
    RungDecision d =
        new RungDecision(
            1, "s1", "t1", 1, 0, 2, RungDecision.Action.COMPLETE, METRICS, COST, "file:/c", null);
    assertThat(Json.encodeToString(d)).contains("\"action\":\"complete\"");
    assertThat(Json.decode(Json.encode(d), DecisionMessage.class)).isEqualTo(d);
    StudyProgress p = new StudyProgress(1, "s1", 2, 3, 1, 17, 0.9);
    assertThat(Json.decode(Json.encode(p), DecisionMessage.class)).isEqualTo(p);

    // The multi-fidelity fields: a promote carries the next segment's end (toEpoch), a decision
    // without one leaves it out, and a StudyProgress round-trips with its parked count.
    RungDecision promote =
        new RungDecision(
            1,
            "s1",
            "t1",
            1,
            1,
            3,
            RungDecision.Action.PROMOTE,
            METRICS,
            COST,
            "file:/c3",
            null,
            9);
    assertThat(Json.encodeToString(promote))
        .contains("\"toEpoch\":9")
        .contains("\"action\":\"promote\"");
    assertThat(Json.decode(Json.encode(promote), DecisionMessage.class)).isEqualTo(promote);
    assertThat(Json.encodeToString(d)).doesNotContain("toEpoch");
    StudyProgress parked = new StudyProgress(1, "s1", 2, 3, 1, 17, 0.9, 4);
    assertThat(Json.decode(Json.encode(parked), DecisionMessage.class)).isEqualTo(parked);
  }

  @Test
  void aHeartbeatWithoutStartedCountsAsStarted() {
    Heartbeat unstarted = new Heartbeat("w1", null, null, false);
    String json = Json.encodeToString(unstarted);
    assertThat(json).contains("\"started\":false").doesNotContain("segmentStarted");
    Heartbeat back = Json.decode(json, Heartbeat.class);
    assertThat(back).isEqualTo(unstarted);
    assertThat(back.segmentStarted()).isFalse();

    assertThat(Json.decode("{\"workerId\":\"w1\",\"epoch\":2}", Heartbeat.class).segmentStarted())
        .isTrue();
    assertThat(Json.encodeToString(new Heartbeat("w1", 2, "c"))).doesNotContain("started");
    assertThat(new Heartbeat("w1", 2, "c", true).segmentStarted()).isTrue();
  }

  @Test
  void unknownFieldsAreIgnoredSoNewerProducersDoNotBreakConsumers() {
    String json =
        "{\"type\":\"trial-failed\",\"schemaVersion\":2,\"studyId\":\"s\",\"trialId\":\"t\",\"attempt\":1,\"fromEpoch\":0,\"reason\":\"x\",\"workerId\":\"w\",\"newField\":[1,2]}";
    assertThat(Json.decode(json, ReportMessage.class)).isInstanceOf(TrialFailed.class);
  }

  @Test
  void garbageIsAMalformedRecordNamingTheType() {
    assertThatThrownBy(
            () -> Json.decode("not json".getBytes(StandardCharsets.UTF_8), ReportMessage.class))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("ReportMessage");
    assertThatThrownBy(() -> Json.decode("{\"type\":\"bogus\"}", ReportMessage.class))
        .isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> Json.decode((byte[]) null, EpochReport.class))
        .isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> Json.decode("null", EpochReport.class))
        .isInstanceOf(MalformedRecordException.class);
  }
}
