package io.sharpsweep.protocol.study;

/**
 * A study's sampler also learns from another study's completed trials: their configurations (the
 * parameters of this study's space; a trial that does not fit it is skipped) with their final
 * values of this study's objectives.
 */
public record WarmStart(String fromStudy) {}
