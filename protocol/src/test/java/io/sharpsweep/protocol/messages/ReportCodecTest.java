package io.sharpsweep.protocol.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.testing.BadInput;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ReportCodec} decodes exactly what the one codec ({@link Json#decode(byte[], Class)})
 * decodes: the same record, or the same error. Its own reading (the usual shape) is checked against
 * the one codec on valid reports and on thousands of mutated and broken ones.
 */
class ReportCodecTest {
  private static final EpochReport REPORT =
      new EpochReport(
          1,
          "s1",
          "s1-t0007",
          2,
          3,
          new Metrics(0.81, 0.52, 0.61, null),
          new Cost(20, 20, 2560, 0.25, 1.5, 3.0),
          "w1",
          "file:/c/3",
          false,
          "lease-9");

  @Test
  void readsTheUsualReportItself() {
    byte[] bytes = Json.encode(REPORT);
    assertThat(ReportCodec.usualEpochReport(bytes)).isEqualTo(REPORT);
    assertThat(ReportCodec.decode(bytes)).isEqualTo(REPORT);
    EpochReport bare =
        new EpochReport(
            1,
            "s1",
            "s1-t0001",
            1,
            1,
            new Metrics(null, null, null, 1.0),
            REPORT.cost(),
            null,
            null,
            true);
    assertThat(ReportCodec.usualEpochReport(Json.encode(bare))).isEqualTo(bare);
  }

  @Test
  void ignoresUnknownFieldsAnywhereAndTheTypeMayComeLast() {
    String json =
        "{\"future\":{\"a\":[1,{\"b\":null}]},\"schemaVersion\":1,\"studyId\":\"s1\",\"trialId\":\"s1-t0007\","
            + "\"attempt\":2,\"epoch\":3,\"metrics\":{\"valAccuracy\":0.81,\"valLoss\":0.52,\"trainLoss\":0.61,"
            + "\"extra\":[]},\"cost\":{\"forwardPasses\":20,\"backwardPasses\":20,\"examplesBackward\":2560,"
            + "\"samStepFraction\":0.25,\"wallSeconds\":1.5,\"sgdEpochEquivalents\":3,\"unit\":\"x\"},"
            + "\"workerId\":\"w1\",\"checkpointUri\":\"file:/c/3\",\"final\":false,\"leaseId\":\"lease-9\","
            + "\"type\":\"epoch-report\"}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThat(ReportCodec.usualEpochReport(bytes)).isEqualTo(REPORT);
    assertThat(Json.decode(bytes, ReportMessage.class)).isEqualTo(REPORT);
  }

  @Test
  void leavesEverythingElseToTheOneCodec() {
    TrialFailed f = new TrialFailed(1, "s1", "s1-t0002", 1, 0, "diverged", "w2");
    assertThat(ReportCodec.usualEpochReport(Json.encode(f))).isNull();
    assertThat(ReportCodec.decode(Json.encode(f))).isEqualTo(f);
    for (String odd :
        List.of(
            "{\"type\":\"epoch-report\",\"schemaVersion\":null,\"attempt\":1,\"epoch\":1,\"final\":true}",
            "{\"type\":\"epoch-report\",\"attempt\":1,\"epoch\":1,\"final\":true}",
            "{\"type\":\"epoch-report\",\"schemaVersion\":1,\"attempt\":1,\"epoch\":2147483648,\"final\":true}",
            "{\"type\":\"epoch-report\",\"schemaVersion\":1,\"attempt\":1.0,\"epoch\":1,\"final\":true}",
            "{\"type\":\"epoch-report\",\"schemaVersion\":1,\"attempt\":1,\"attempt\":2,\"epoch\":1,\"final\":true}",
            "{\"type\":\"epoch-report\",\"schemaVersion\":1,\"studyId\":true,\"attempt\":1,\"epoch\":1,\"final\":true}",
            "{\"type\":\"epoch-report\",\"schemaVersion\":1,\"attempt\":1,\"epoch\":1,\"final\":1}",
            "{\"type\":\"epoch-report\",\"schemaVersion\":1,\"attempt\":1,\"epoch\":1,\"final\":true,\"metrics\":{\"valLoss\":\"NaN\"}}",
            "{\"type\":\"epoch-report\",\"schemaVersion\":1,\"attempt\":1,\"epoch\":1,\"final\":true,\"cost\":{}}",
            "{\"type\":\"epoch-report\",\"schemaVersion\":1,\"attempt\":1,\"epoch\":1,\"final\":true,\"metrics\":[]}",
            "{\"type\":\"other\",\"schemaVersion\":1}",
            "{\"type\":\"epoch-report\",\"schemaVersion\":1,\"attempt\":1,\"epoch\":1,\"final\":tru",
            "[]",
            "null",
            "")) {
      assertThat(ReportCodec.usualEpochReport(odd.getBytes(StandardCharsets.UTF_8)))
          .as(odd)
          .isNull();
      assertSameAsTheOneCodec(odd.getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> ReportCodec.decode(null))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("empty record");
  }

  /**
   * Valid reports with one to three mutations (nulls, wrong types, edge numbers, nasty strings,
   * removed and unknown fields, deep nesting) and bodies that are no JSON object: the same record
   * or the same error as the one codec, every time. Enough of them are read by the codec itself for
   * the comparison to mean something.
   */
  @Test
  void agreesWithTheOneCodecOnMutatedAndBrokenRecords() {
    BadInput bad = new BadInput(URI.create("http://127.0.0.1:1"), 11, 100);
    JsonNode valid = Json.mapper().valueToTree(REPORT);
    int usual = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes;
      if (i % 10 == 9) {
        bytes = bad.garbageBody();
      } else {
        JsonNode m = i % 5 == 0 ? valid.deepCopy() : bad.mutate(valid);
        if (i % 5 == 0 && m instanceof ObjectNode o) {
          o.put("epoch", 1 + bad.random().nextInt(10_000));
        }
        bytes = BadInput.utf8(BadInput.text(m));
      }
      if (ReportCodec.usualEpochReport(bytes) != null) {
        usual++;
      }
      assertSameAsTheOneCodec(bytes);
    }
    assertThat(usual).isGreaterThan(400);
  }

  @Test
  void readsEveryDoubleAsTheOneCodecDoes() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 5_000; i++) {
      // any finite double, by its bits, and short decimals as workers write them
      double any = Double.longBitsToDouble(random.nextLong());
      double a = Double.isFinite(any) ? any : random.nextGaussian();
      double b = Math.round(random.nextDouble() * 1e6) / 1e6;
      String text =
          "{\"type\":\"epoch-report\",\"schemaVersion\":1,\"studyId\":\"s1\","
              + "\"trialId\":\"s1-t0007\",\"attempt\":2,\"epoch\":3,"
              + "\"metrics\":{\"valAccuracy\":"
              + a
              + ",\"valLoss\":"
              + b
              + ",\"trainLoss\":0.61},\"cost\":{\"forwardPasses\":20,\"backwardPasses\":20,"
              + "\"examplesBackward\":2560,\"samStepFraction\":0.25,\"wallSeconds\":"
              + String.format(java.util.Locale.ROOT, "%.17e", random.nextDouble())
              + ",\"sgdEpochEquivalents\":3.0},\"workerId\":\"w1\",\"final\":false}";
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertThat(ReportCodec.usualEpochReport(bytes)).as(text).isNotNull();
      assertSameAsTheOneCodec(bytes);
    }
  }

  private static void assertSameAsTheOneCodec(byte[] bytes) {
    Object expected;
    try {
      expected = Json.decode(bytes, ReportMessage.class);
    } catch (MalformedRecordException e) {
      expected = e.getClass().getName() + ": " + e.getMessage();
    }
    EpochReport usual = ReportCodec.usualEpochReport(bytes);
    if (usual != null) {
      assertThat(usual).as(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(expected);
    }
    Object actual;
    try {
      actual = ReportCodec.decode(bytes);
    } catch (MalformedRecordException e) {
      actual = e.getClass().getName() + ": " + e.getMessage();
    }
    assertThat(actual).isEqualTo(expected);
  }
}
