package io.sharpsweep.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.store.db.TrialState;
import org.junit.jupiter.api.Test;

class TrialStatusTest {
  private static final TrialStatus PLACEHOLDER = new TrialStatus(TrialState.RUNNING, 1, null);

  @Test
  void reportsOfTheCurrentAttemptRaiseTheLastEpochAndTheFinalOneCompletes() {
    TrialStatus s =
        PLACEHOLDER.afterReport(1, 1, false).afterReport(1, 3, false).afterReport(1, 2, false);
    assertThat(s).isEqualTo(new TrialStatus(TrialState.RUNNING, 1, 3));
    assertThat(s.afterReport(1, 4, true)).isEqualTo(new TrialStatus(TrialState.COMPLETED, 1, 4));
  }

  @Test
  void aNewerAttemptStartsOverAndAnOlderOneIsIgnored() {
    TrialStatus failed = new TrialStatus(TrialState.FAILED, 1, 2);
    TrialStatus retried = failed.afterReport(2, 1, false);
    assertThat(retried).isEqualTo(new TrialStatus(TrialState.RUNNING, 2, 1));
    assertThat(retried.afterReport(1, 5, true)).isSameAs(retried);
    assertThat(retried.afterFailure(1)).isSameAs(retried);
  }

  @Test
  void completedAndFailedAreFinalWithinAnAttempt() {
    TrialStatus completed = new TrialStatus(TrialState.COMPLETED, 1, 3);
    assertThat(completed.afterFailure(1)).isSameAs(completed);
    assertThat(completed.afterReport(1, 2, false)).isEqualTo(completed);
    TrialStatus failed = new TrialStatus(TrialState.RUNNING, 1, 2).afterFailure(1);
    assertThat(failed).isEqualTo(new TrialStatus(TrialState.FAILED, 1, 2));
    assertThat(failed.afterReport(1, 3, true)).isEqualTo(new TrialStatus(TrialState.FAILED, 1, 3));
    assertThat(failed.is(TrialState.FAILED, 1)).isTrue();
    assertThat(failed.is(TrialState.FAILED, 2)).isFalse();
  }

  @Test
  void aFailureOfANewerAttemptMarksThatAttemptFailed() {
    assertThat(new TrialStatus(TrialState.COMPLETED, 1, 3).afterFailure(2))
        .isEqualTo(new TrialStatus(TrialState.FAILED, 2, null));
  }

  @Test
  void aParkedTrialIgnoresAStrayFailureAndCompletesOnItsFinalReport() {
    TrialStatus parked = new TrialStatus(TrialState.PARKED, 1, 3);
    assertThat(parked.afterFailure(1)).isSameAs(parked);
    assertThat(parked.afterReport(1, 2, false)).isEqualTo(parked);
    assertThat(parked.afterReport(1, 9, true))
        .isEqualTo(new TrialStatus(TrialState.COMPLETED, 1, 9));
    assertThat(parked.afterFailure(2)).isEqualTo(new TrialStatus(TrialState.FAILED, 2, null));
  }

  @Test
  void aRetriedFailureMovesTheTrialToItsNextAttemptRunning() {
    TrialStatus running = new TrialStatus(TrialState.RUNNING, 1, 2);
    assertThat(running.afterRetry(1)).isEqualTo(new TrialStatus(TrialState.RUNNING, 2, null));
    TrialStatus second = new TrialStatus(TrialState.RUNNING, 2, 4);
    assertThat(second.afterRetry(1)).isSameAs(second); // a late copy of the first failure
  }
}
