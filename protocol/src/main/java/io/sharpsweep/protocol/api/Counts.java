package io.sharpsweep.protocol.api;

/** A study's trials by state, as the REST answers show them ({@code parked}: waiting at a rung). */
public record Counts(int running, int parked, int completed, int failed, int total) {}
