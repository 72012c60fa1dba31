package io.sharpsweep.store.db;

/** A trial's id, number and state: what a count over a study's trials needs of each. */
public record TrialBrief(String trialId, Integer number, TrialState state) {}
