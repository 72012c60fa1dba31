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
    EpochReport r = report("s1-t0001", 1, 1, METRICS, COST);
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
                    report("s1-t0001", 1, 1, METRICS, new Cost(-1, 0, 0, 0, Double.NaN, 1))))
        .hasMessageContaining("cost.forwardPasses: must not be negative, got -1")
        .hasMessageContaining("cost.wallSeconds: must be a finite number in [0, 1.0E8], got NaN");
  }

  @Test
  void failuresNeedANonNegativeStartEpoch() {
    assertThatThrownBy(
            () ->
                RecordValidator.requireValid(
                    new TrialFailed(1, "s1", "s1-t0001", 1, -2, "boom", "w1")))
        .hasMessage("invalid TrialFailed: fromEpoch: must be at least 0, got -2");
  }

  @Test
  void idsLongerThanTheColumnAreRejected() {
    assertThatThrownBy(
            () -> RecordValidator.requireValid(report("t".repeat(201), 1, 1, METRICS, COST)))
        .hasMessage("invalid EpochReport: trialId: must be at most 200 characters");
  }

  @Test
  void onlyKnownSchemaVersionsPass() {
    for (int v : new int[] {0, 2, 99, -1}) {
      EpochReport r = new EpochReport(v, "s1", "s1-t0001", 1, 1, METRICS, COST, "w1", null, false);
      assertThatThrownBy(() -> RecordValidator.requireValid(r))
          .hasMessage(
              "invalid EpochReport: schemaVersion: must be 1 (the versions this store reads), got "
                  + v);
    }
  }

  @Test
  void idsFollowTheGrammarAndTheTrialIdNamesItsStudy() {
    assertThatThrownBy(
            () ->
                RecordValidator.requireValid(
                    new EpochReport(
                        1,
                        "\u0000st-1",
                        "\u0000st-1-t0000",
                        1,
                        1,
                        METRICS,
                        COST,
                        "w",
                        null,
                        false)))
        .hasMessageStartingWith(
            "invalid EpochReport: studyId: must be 1 to 200 characters of letters, digits, '.', '_'"
                + " or '-', got '\\u0000st-1'");
    assertThatThrownBy(() -> RecordValidator.requireValid(report("s2-t0001", 1, 1, METRICS, COST)))
        .hasMessage(
            "invalid EpochReport: trialId: must be the studyId followed by -t and the trial number"
                + " (s1-t0000), got 's2-t0001'");
    assertThat(RecordValidator.requireValid(report("s1-t123456789", 1, 1, METRICS, COST)))
        .isNotNull();
  }

  @Test
  void everyNumberIsFiniteAndInItsRange() {
    Metrics bad = new Metrics(1.5, Double.POSITIVE_INFINITY, -0.1, Double.NaN);
    Cost cost = new Cost(0, -1, 0, 1.5, Double.NEGATIVE_INFINITY, 2147483648.0);
    assertThatThrownBy(() -> RecordValidator.requireValid(report("s1-t0001", 1, 3, bad, cost)))
        .hasMessage(
            "invalid EpochReport: metrics.valAccuracy: must be a number in [0, 1], got 1.5;"
                + " metrics.testAccuracy: must be a number in [0, 1], got NaN;"
                + " metrics.valLoss: must be a finite number >= 0, got Infinity;"
                + " metrics.trainLoss: must be a finite number >= 0, got -0.1;"
                + " cost.backwardPasses: must not be negative, got -1;"
                + " cost.samStepFraction: must be a number in [0, 1], got 1.5;"
                + " cost.wallSeconds: must be a finite number in [0, 1.0E8], got -Infinity;"
                + " cost.sgdEpochEquivalents: must be a finite number in [0, 300.0], got"
                + " 2.147483648E9");
    assertThatThrownBy(
            () -> RecordValidator.requireValid(report("s1-t0001", 101, 10_001, METRICS, COST)))
        .hasMessage(
            "invalid EpochReport: attempt: must be at most 100 (budget.maxAttempts), got 101;"
                + " epoch: must be at most 10000 (scheduler.maxEpochs), got 10001");
  }

  @Test
  void textFieldsHoldNoControlCharacters() {
    EpochReport r =
        new EpochReport(1, "s1", "s1-t0001", 1, 1, METRICS, COST, "w\n1", "c\u0007", false);
    assertThatThrownBy(() -> RecordValidator.requireValid(r))
        .hasMessage(
            "invalid EpochReport: workerId: must not hold control characters; checkpointUri: must"
                + " not hold control characters");
  }
}
