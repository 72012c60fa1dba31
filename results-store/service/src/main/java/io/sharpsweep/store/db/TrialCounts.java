package io.sharpsweep.store.db;

/** How many trials of a study are in each state. */
public record TrialCounts(int running, int parked, int completed, int failed) {
  public static final TrialCounts NONE = new TrialCounts(0, 0, 0, 0);

  public int total() {
    return running + parked + completed + failed;
  }

  TrialCounts plus(TrialState state, int n) {
    return switch (state) {
      case RUNNING -> new TrialCounts(running + n, parked, completed, failed);
      case PARKED -> new TrialCounts(running, parked + n, completed, failed);
      case COMPLETED -> new TrialCounts(running, parked, completed + n, failed);
      case FAILED -> new TrialCounts(running, parked, completed, failed + n);
    };
  }
}
