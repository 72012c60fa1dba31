package io.sharpsweep.store.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sharpsweep.store.analysis.VariantComparison.Point;
import io.sharpsweep.store.analysis.VariantComparison.VariantRow;
import java.util.List;

/**
 * {@code GET /v1/studies/{id}/variants}: per optimizer variant, the {@code metric} of its completed
 * trials and their {@code cost} (the trial's total at its last epoch), compared with SGD's trials
 * ({@link io.sharpsweep.store.analysis.VariantComparison}). {@code sgdBest} is null, and {@code
 * reason} says so, when no SGD trial has completed.
 */
public record VariantsAnswer(
    String studyId,
    String metric,
    String cost,
    int trials,
    @JsonInclude(JsonInclude.Include.ALWAYS) Point sgdBest,
    List<VariantRow> variants,
    String reason) {}
