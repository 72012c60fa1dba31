package io.sharpsweep.store.query;

import io.sharpsweep.store.db.TrialCounts;

/** A study's trials by state, as the REST answers show them ({@code parked}: waiting at a rung). */
public record Counts(int running, int parked, int completed, int failed, int total) {
  static Counts of(TrialCounts c) {
    return new Counts(c.running(), c.parked(), c.completed(), c.failed(), c.total());
  }
}
