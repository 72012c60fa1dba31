package io.sharpsweep.protocol.api;

/**
 * A bracket of the schedule: its Hyperband {@code s}, first rung, trial numbers, and how many
 * trials it holds so far.
 */
public record BracketOccupancy(
    int bracket, int s, int minRung, int firstNumber, int size, int created) {}
