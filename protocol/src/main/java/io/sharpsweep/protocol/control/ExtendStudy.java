package io.sharpsweep.protocol.control;

/**
 * User → scheduler → store: give a study {@code trials} more trials (a completed study runs again),
 * or a higher top rung {@code maxEpochs} (refused with the reason: no schedule can continue a trial
 * past the maxEpochs its learning-rate schedule was planned for).
 */
public record ExtendStudy(Integer trials, Integer maxEpochs) {}
