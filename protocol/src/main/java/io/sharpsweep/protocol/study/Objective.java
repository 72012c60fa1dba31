package io.sharpsweep.protocol.study;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * One objective of a study or a suggest request: a metric and its direction. Study files write it
 * {@code {metric: val_accuracy, goal: maximize}}, the sampler contract {@code {"name": ..., "goal":
 * ...}}; both spellings are read.
 */
public record Objective(@JsonAlias("metric") String name, Goal goal) {}
