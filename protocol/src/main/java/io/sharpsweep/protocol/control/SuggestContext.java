package io.sharpsweep.protocol.control;

import io.sharpsweep.protocol.suggest.SuggestRequest;

/**
 * What the scheduler needs to create the next trials of a study: ask the sampler {@code request}
 * (its {@code count} is the number of trials wanted now), then post the answers as {@link
 * NewTrials} numbered from {@code firstNumber}.
 */
public record SuggestContext(String studyId, int firstNumber, SuggestRequest request) {}
