package io.sharpsweep.sampler.tpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ObservationSplitTest {

  @Test
  void gammaIsATenthRoundedUpAndAtMost25() {
    assertThat(ObservationSplit.goodCount(10, 0.1, 25)).isEqualTo(1);
    assertThat(ObservationSplit.goodCount(11, 0.1, 25)).isEqualTo(2);
    assertThat(ObservationSplit.goodCount(1000, 0.1, 25)).isEqualTo(25);
  }

  @Test
  void recencyWeightsRampOldObservationsUp() {
    assertThat(ObservationSplit.recencyWeights(3)).containsExactly(1, 1, 1);
    double[] w = ObservationSplit.recencyWeights(30);
    // linspace(1/30, 1, 5) then 25 ones.
    assertThat(w[0]).isCloseTo(1 / 30.0, within(1e-12));
    assertThat(w[2]).isCloseTo(1 / 30.0 + (1 - 1 / 30.0) / 2, within(1e-12));
    assertThat(w[4]).isCloseTo(1.0, within(1e-12));
    assertThat(w[29]).isEqualTo(1.0);
  }

  @Test
  void oneObjectiveTakesTheSmallestLosses() {
    double[][] losses = {{3}, {1}, {2}, {1}, {5}};
    // Ties go to the earlier observation.
    assertThat(ObservationSplit.good(losses, 2)).containsExactly(false, true, false, true, false);
    assertThat(ObservationSplit.good(losses, 1)).containsExactly(false, true, false, false, false);
  }

  @Test
  void severalObjectivesTakeWholeFrontsThenTheLargestHypervolume() {
    // Front 0: (0,4), (1,1), (4,0); front 1: (2,3), (3,2); dominated further: (5,5).
    double[][] losses = {{0, 4}, {2, 3}, {1, 1}, {5, 5}, {4, 0}, {3, 2}};
    assertThat(ObservationSplit.good(losses, 3))
        .containsExactly(true, false, true, false, true, false);
    // Four: the whole front 0 and one of front 1, both of which add the same area: the first.
    boolean[] four = ObservationSplit.good(losses, 4);
    assertThat(four).containsExactly(true, true, true, false, true, false);
    // Two of front 0: the extremes (0,4) and (4,0) dominate less than a pair with (1,1) after
    // scaling to [0, 1]: (1,1) scaled is (0.2, 0.2) and adds the most first.
    boolean[] two = ObservationSplit.good(losses, 2);
    assertThat(two[2]).isTrue();
    assertThat(countTrue(two)).isEqualTo(2);
  }

  @Test
  void goodPointsAreWeightedByTheirHypervolumeContribution() {
    // Scaled: (0, 1), (0.25, 0.25), (1, 0); reference (1.1, 1.1). Exclusive areas:
    // (0,1): 0.25 x 0.1 = 0.025; (0.25,0.25): 0.75 x 0.75 = 0.5625; (1,0): 0.1 x 0.25 = 0.025.
    double[] w = ObservationSplit.contributionWeights(new double[][] {{0, 4}, {1, 1}, {4, 0}});
    assertThat(w).containsExactly(new double[] {0.025 / 0.5625, 1, 0.025 / 0.5625}, within(1e-12));
  }

  @Test
  void oneObjectiveGoodPointsAreWeightedByTheirImprovementOverTheSplit() {
    // Threshold 5 (the best bad loss): improvements 4, 2, 0 of at most 4.
    assertThat(ObservationSplit.improvementWeights(new double[] {3, 1, 5}, 5))
        .containsExactly(new double[] {0.5, 1, 1e-6}, within(1e-12));
    // Nothing separates the groups: equal weights.
    assertThat(ObservationSplit.improvementWeights(new double[] {2, 2}, 2)).containsExactly(1, 1);
    assertThat(ObservationSplit.improvementWeights(new double[] {1, 2}, Double.POSITIVE_INFINITY))
        .containsExactly(1, 1);
  }

  private static int countTrue(boolean[] b) {
    int n = 0;
    for (boolean x : b) {
      n += x ? 1 : 0;
    }
    return n;
  }
}
