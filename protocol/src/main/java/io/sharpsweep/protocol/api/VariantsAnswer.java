package io.sharpsweep.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET /v1/studies/{id}/variants}: per optimizer variant, the {@code metric} of its completed
 * trials and their {@code cost} (the trial's total at its last epoch), compared with SGD's trials
 * ({@code docs/analysis.md}). {@code sgdBest} is null, and {@code reason} says so, when no SGD
 * trial has completed.
 */
public record VariantsAnswer(
    String studyId,
    String metric,
    String cost,
    int trials,
    @JsonInclude(JsonInclude.Include.ALWAYS) Point sgdBest,
    List<VariantRow> variants,
    String reason) {

  /** A trial as the report names it. */
  public record Point(String trialId, Integer number, double accuracy, double cost) {}

  /**
   * The accuracies of a variant's trials: count, mean, sample standard deviation (n − 1; 0 for one
   * trial), minimum, quartiles (linear interpolation between order statistics, as NumPy's default)
   * and maximum.
   */
  public record Spread(
      int trials,
      double mean,
      double std,
      double min,
      double q1,
      double median,
      double q3,
      double max) {}

  /**
   * One variant. {@code sgdAtEqualCost} is SGD's best trial whose cost is at most {@code
   * best.cost}, {@code gainAtEqualCost} the accuracy {@code best} has over it; {@code
   * gainOverBestSgd} and {@code extraCost} compare {@code best} with SGD's best at any cost, and
   * {@code gainPerExtraCost} is their ratio when the variant costs more. Comparisons are null for
   * SGD itself and when the study has no SGD trial; {@code note} says why one is missing.
   */
  public record VariantRow(
      String variant,
      Spread accuracy,
      double medianCost,
      Point best,
      Point sgdAtEqualCost,
      Double gainAtEqualCost,
      Double gainOverBestSgd,
      Double extraCost,
      Double gainPerExtraCost,
      String note) {}
}
