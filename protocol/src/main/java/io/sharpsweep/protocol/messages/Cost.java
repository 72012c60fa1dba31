package io.sharpsweep.protocol.messages;

/**
 * What a trial has cost, cumulative from its first epoch to the reported one (docs/sam-variants.md,
 * "Cost accounting"). {@code sgdEpochEquivalents} = examples through backward passes / training-set
 * size, with forward-only passes counted at one third; an SGD epoch is 1.0, a SAM epoch about 2.0.
 * {@code samStepFraction} is the share of SAM (two-pass) steps among all steps so far.
 */
public record Cost(
    long forwardPasses,
    long backwardPasses,
    long examplesBackward,
    double samStepFraction,
    double wallSeconds,
    double sgdEpochEquivalents) {}
