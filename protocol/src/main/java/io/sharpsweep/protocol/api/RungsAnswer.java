package io.sharpsweep.protocol.api;

import java.util.List;

/**
 * {@code GET /v1/studies/{id}/rungs}: the study's schedule ({@code scheduler}, {@code eta}, the
 * rungs' epochs) and the occupancy of each rung and bracket. While the store has no spec for the
 * study, the lists are empty and {@code reason} says why.
 */
public record RungsAnswer(
    String studyId,
    String scheduler,
    Integer eta,
    List<Integer> epochs,
    List<RungOccupancy> rungs,
    List<BracketOccupancy> brackets,
    String reason) {}
