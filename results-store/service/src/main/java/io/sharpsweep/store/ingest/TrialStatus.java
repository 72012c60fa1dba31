package io.sharpsweep.store.ingest;

import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.db.TrialState;

/**
 * A trial's state, attempt and last reported epoch (of that attempt), and how reports and failures
 * move it. Rules: a message of an older attempt never moves the trial (a late straggler); a newer
 * attempt starts over; within one attempt, completed and failed are final (a stray failure from a
 * worker that lost a redelivery race does not undo a completion) and the last epoch only grows. A
 * parked trial (waiting at a rung) finished its segment: a stray failure of the same attempt does
 * not fail it either. A failure that the control plane retries ({@link #afterRetry}) moves the
 * trial to its next attempt, running, with no epoch reported yet. Parking and resuming are the rung
 * decisions' business ({@link RungBookkeeping}).
 */
public record TrialStatus(TrialState state, int attempt, Integer lastEpoch) {

  public static TrialStatus of(TrialRow row) {
    return new TrialStatus(row.state(), row.attempt(), row.lastEpoch());
  }

  public TrialStatus afterReport(int reportAttempt, int epoch, boolean finalEpoch) {
    if (reportAttempt < attempt) {
      return this;
    }
    if (reportAttempt > attempt) {
      return new TrialStatus(
          finalEpoch ? TrialState.COMPLETED : TrialState.RUNNING, reportAttempt, epoch);
    }
    int last = lastEpoch == null ? epoch : Math.max(lastEpoch, epoch);
    TrialState next =
        (state == TrialState.RUNNING || state == TrialState.PARKED) && finalEpoch
            ? TrialState.COMPLETED
            : state;
    return new TrialStatus(next, attempt, last);
  }

  public TrialStatus afterFailure(int failedAttempt) {
    if (failedAttempt < attempt) {
      return this;
    }
    if (failedAttempt > attempt) {
      return new TrialStatus(TrialState.FAILED, failedAttempt, null);
    }
    return state == TrialState.RUNNING
        ? new TrialStatus(TrialState.FAILED, attempt, lastEpoch)
        : this;
  }

  /** Attempt {@code failedAttempt} failed and the trial goes on as the next attempt. */
  public TrialStatus afterRetry(int failedAttempt) {
    if (failedAttempt < attempt) {
      return this;
    }
    return new TrialStatus(TrialState.RUNNING, failedAttempt + 1, null);
  }

  public boolean is(TrialState expected, int atAttempt) {
    return state == expected && attempt == atAttempt;
  }
}
