package io.sharpsweep.protocol.api;

import io.sharpsweep.protocol.study.Objective;
import java.util.List;

/**
 * {@code GET /v1/studies/{id}/pareto}: the non-dominated trials over metrics {@code x} and {@code
 * y} (each with its goal), sorted by {@code x}; {@code basis} says which trials were candidates
 * ({@code completed}, or {@code rung k} while none has completed); the 2-D {@code hypervolume} they
 * dominate up to {@code referencePoint} ([x, y], in the metrics' units), chosen as {@code
 * referenceRule} says.
 */
public record ParetoAnswer(
    String studyId,
    Objective x,
    Objective y,
    String basis,
    int candidates,
    List<Double> referencePoint,
    String referenceRule,
    double hypervolume,
    List<ParetoPoint> front) {}
