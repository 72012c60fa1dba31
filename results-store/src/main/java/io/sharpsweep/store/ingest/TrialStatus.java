package io.sharpsweep.store.ingest;

import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.db.TrialState;

/**
 * A trial's state, attempt and last reported epoch (of that attempt), and how reports and failures
 * move it. Rules: a message of an older attempt never moves the trial (a late straggler); a newer
 * attempt starts over; within one attempt, completed and failed are final (a stray failure from a
 * worker that lost a redelivery race does not undo a completion) and the last epoch only grows. A
 * parked trial (waiting at a rung) finished its segment: a stray failure of the same attempt does
 * not fail it either. Parking and resuming are the rung decisions' business ({@link
 * RungBookkeeping}).
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

  public boolean is(TrialState expected, int atAttempt) {
    return state == expected && attempt == atAttempt;
  }
}
