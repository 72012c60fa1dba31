package io.sharpsweep.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sharpsweep.protocol.study.Objective;

/**
 * {@code GET /v1/studies/{id}/best}: {@code best} is null, and {@code reason} says why, while no
 * completed trial has a value for the objective (a study that has not finished a trial is not an
 * error). {@code maxCost} echoes the cost cap when one was given.
 */
public record BestAnswer(
    String studyId,
    Objective objective,
    Double maxCost,
    @JsonInclude(JsonInclude.Include.ALWAYS) BestTrial best,
    String reason) {}
