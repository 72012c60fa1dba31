package io.sharpsweep.store.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sharpsweep.protocol.api.VariantsAnswer.VariantRow;
import io.sharpsweep.store.analysis.VariantComparison.Report;
import io.sharpsweep.store.analysis.VariantComparison.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantComparisonTest {
  private static final double EPS = 1e-12;

  @Test
  void comparesEachVariantWithSgdAtEqualAndAtAnyCost() {
    List<Run> runs =
        List.of(
            new Run("t0", 0, "sgd", 0.80, 4),
            new Run("t1", 1, "sgd", 0.84, 10),
            new Run("t2", 2, "sam", 0.86, 8),
            new Run("t3", 3, "sam", 0.90, 16),
            new Run("t4", 4, "sam", 0.70, 8),
            new Run("t5", 5, "sgd", 0.82, 6),
            new Run("t6", 6, "looksam", 0.83, 5));
    Report r = VariantComparison.compare(runs);
    assertThat(r.reason()).isNull();
    assertThat(r.sgdBest().trialId()).isEqualTo("t1");
    assertThat(r.variants())
        .extracting(VariantRow::variant)
        .containsExactly("sgd", "sam", "looksam");

    VariantRow sam = r.variants().get(1);
    assertThat(sam.best().trialId()).isEqualTo("t3");
    // SGD at cost ≤ 16: all three, best t1 (0.84)
    assertThat(sam.sgdAtEqualCost().trialId()).isEqualTo("t1");
    assertThat(sam.gainAtEqualCost()).isCloseTo(0.06, within(EPS));
    assertThat(sam.gainOverBestSgd()).isCloseTo(0.06, within(EPS));
    assertThat(sam.extraCost()).isCloseTo(6, within(EPS));
    assertThat(sam.gainPerExtraCost()).isCloseTo(0.01, within(EPS));
    // accuracies 0.70, 0.86, 0.90: mean 0.82, std √((0.0144 + 0.0016 + 0.0064)/2) = √0.0112
    assertThat(sam.accuracy().trials()).isEqualTo(3);
    assertThat(sam.accuracy().mean()).isCloseTo(0.82, within(EPS));
    assertThat(sam.accuracy().std()).isCloseTo(Math.sqrt(0.0112), within(EPS));
    assertThat(sam.accuracy().q1()).isCloseTo(0.78, within(EPS));
    assertThat(sam.accuracy().median()).isCloseTo(0.86, within(EPS));
    assertThat(sam.accuracy().q3()).isCloseTo(0.88, within(EPS));
    assertThat(sam.medianCost()).isCloseTo(8, within(EPS));

    VariantRow looksam = r.variants().get(2);
    // SGD at cost ≤ 5: t0 (0.80); against SGD's best it costs less and is less accurate
    assertThat(looksam.sgdAtEqualCost().trialId()).isEqualTo("t0");
    assertThat(looksam.gainAtEqualCost()).isCloseTo(0.03, within(EPS));
    assertThat(looksam.gainOverBestSgd()).isCloseTo(-0.01, within(EPS));
    assertThat(looksam.extraCost()).isCloseTo(-5, within(EPS));
    assertThat(looksam.gainPerExtraCost()).isNull();
    assertThat(looksam.note()).isEqualTo("costs no more than SGD's best: no gain per extra cost");

    VariantRow sgd = r.variants().get(0);
    assertThat(sgd.sgdAtEqualCost()).isNull();
    assertThat(sgd.accuracy().median()).isCloseTo(0.82, within(EPS));
  }

  @Test
  void aVariantCheaperThanEverySgdTrialHasNoEqualCostComparison() {
    Report r =
        VariantComparison.compare(
            List.of(new Run("t0", 0, "sgd", 0.80, 4), new Run("t1", 1, "esam", 0.81, 3)));
    VariantRow esam = r.variants().get(1);
    assertThat(esam.sgdAtEqualCost()).isNull();
    assertThat(esam.gainAtEqualCost()).isNull();
    assertThat(esam.note()).isEqualTo("every SGD trial cost more than this variant's best");
    assertThat(esam.accuracy().std()).isZero();
  }

  @Test
  void withoutSgdTheReportSaysSoAndStillSummarisesEachVariant() {
    Report r =
        VariantComparison.compare(
            List.of(new Run("t0", 0, "sam", 0.80, 8), new Run("t1", 1, "sam", 0.90, 8)));
    assertThat(r.sgdBest()).isNull();
    assertThat(r.reason())
        .isEqualTo("the study has no completed SGD trial: no comparison with SGD");
    assertThat(r.variants()).hasSize(1);
    assertThat(r.variants().get(0).best().trialId()).isEqualTo("t1");
    assertThat(r.variants().get(0).accuracy().median()).isCloseTo(0.85, within(EPS));
    assertThat(r.variants().get(0).note()).isEqualTo("no completed SGD trial to compare with");
  }

  @Test
  void amongEquallyAccurateTrialsTheCheaperIsTheBest() {
    Report r =
        VariantComparison.compare(
            List.of(new Run("t0", 0, "sgd", 0.80, 4), new Run("t1", 1, "sgd", 0.80, 2)));
    assertThat(r.sgdBest().trialId()).isEqualTo("t1");
  }
}
