package io.sharpsweep.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.TrialFailed;
import org.junit.jupiter.api.Test;

class RecordValidatorTest {
  private static final Metrics METRICS = new Metrics(0.8, 0.5, 0.4, null);
  private static final Cost COST = new Cost(10, 10, 640, 1.0, 2.5, 2.0);

  private static EpochReport report(String trialId, int attempt, int epoch, Metrics m, Cost c) {
    return new EpochReport(1, "s1", trialId, attempt, epoch, m, c, "w1", null, false);
  }

  @Test
  void aCompleteReportPasses() {
    EpochReport r = report("t1", 1, 1, METRICS, COST);
    assertThat(RecordValidator.requireValid(r)).isSameAs(r);
  }

  @Test
  void everyBrokenRuleOfAReportIsNamed() {
    assertThatThrownBy(() -> RecordValidator.requireValid(report(null, 0, -1, null, null)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessage(
            "invalid EpochReport: trialId: is required; attempt: must be at least 1, got 0; epoch: must be at least 1 (epochs are"
                + " numbered from 1), got -1; metrics: is required; cost: is required");
  }

  @Test
  void aCostWithNegativeOrNaNFieldsIsRejected() {
    assertThatThrownBy(
            () ->
                RecordValidator.requireValid(
                    report("t1", 1, 1, METRICS, new Cost(-1, 0, 0, 0, Double.NaN, 1))))
        .hasMessageContaining("cost: pass and example counts must not be negative")
        .hasMessageContaining(
            "cost: sgdEpochEquivalents and wallSeconds must be non-negative numbers");
  }

  @Test
  void failuresNeedANonNegativeStartEpoch() {
    assertThatThrownBy(
            () -> RecordValidator.requireValid(new TrialFailed(1, "s1", "t1", 1, -2, "boom", "w1")))
        .hasMessage("invalid TrialFailed: fromEpoch: must be at least 0, got -2");
  }

  @Test
  void idsLongerThanTheColumnAreRejected() {
    assertThatThrownBy(
            () -> RecordValidator.requireValid(report("t".repeat(201), 1, 1, METRICS, COST)))
        .hasMessage("invalid EpochReport: trialId: must be at most 200 characters");
  }
}
