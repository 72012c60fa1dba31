package io.sharpsweep.store.control;

import io.sharpsweep.protocol.study.Budget;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.StudySpec;

/** What a study's spec says about its capacity: its ladder, budget and attempts. */
public record StudyPolicy(FidelityLadder ladder, int trials, int parallelism, int maxAttempts) {

  public static StudyPolicy of(StudySpec spec) {
    Budget b = spec.budget();
    int trials = b == null || b.trials() == null ? 1 : b.trials();
    int parallelism = b == null || b.parallelism() == null ? 1 : b.parallelism();
    int attempts = b == null ? Budget.DEFAULT_MAX_ATTEMPTS : b.maxAttemptsOrDefault();
    return new StudyPolicy(FidelityLadder.of(spec), trials, parallelism, attempts);
  }
}
