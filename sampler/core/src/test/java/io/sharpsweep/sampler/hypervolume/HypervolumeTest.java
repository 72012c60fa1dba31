package io.sharpsweep.sampler.hypervolume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HypervolumeTest {

  @Test
  void threePointsByHand() {
    // Staircase (1,3), (2,2), (3,1) under (4,4): 3x1 + 2x1 + 1x1 = 6.
    double[][] pts = {{2, 2}, {1, 3}, {3, 1}};
    assertThat(Hypervolume.of(pts, new double[] {4, 4})).isCloseTo(6.0, within(1e-12));
    // A dominated point, a duplicate and a point outside the reference box change nothing.
    double[][] more = {{2, 2}, {1, 3}, {3, 1}, {3, 3}, {2, 2}, {0, 5}};
    assertThat(Hypervolume.of(more, new double[] {4, 4})).isCloseTo(6.0, within(1e-12));
    // Each one's exclusive area: (1,3) 1x1, (2,2) 1x1, (3,1) 1x1.
    assertThat(Hypervolume.contributions(pts, new double[] {4, 4}))
        .containsExactly(new double[] {1, 1, 1}, within(1e-12));
    assertThat(Hypervolume.of(new double[0][], new double[] {4, 4})).isZero();
  }

  @Test
  void zdt1TrueFrontSampledDensely() {
    // f2 = 1 - sqrt(f1) on [0, 1]; the hypervolume under (1.1, 1.1) is 0.21 + 2/3 = 0.87667.
    int n = 2000;
    double[][] front = new double[n][];
    for (int i = 0; i < n; i++) {
      double f1 = i / (n - 1.0);
      front[i] = new double[] {f1, 1 - Math.sqrt(f1)};
    }
    assertThat(Hypervolume.of(front, new double[] {1.1, 1.1})).isCloseTo(0.876667, within(1e-3));
  }

  @Test
  void threeObjectivesBySlicing() {
    assertThat(Hypervolume.of(new double[][] {{1, 1, 1}}, new double[] {2, 2, 2}))
        .isCloseTo(1.0, within(1e-12));
    // Boxes [0,2]x[0,2]x[1,2] (4) and [1,2]x[1,2]x[0,2] (2) overlap in [1,2]^3 (1): union 5.
    double[][] pts = {{0, 0, 1}, {1, 1, 0}};
    assertThat(Hypervolume.of(pts, new double[] {2, 2, 2})).isCloseTo(5.0, within(1e-12));
    // Inclusion-exclusion for three boxes.
    double[][] three = {{0, 1, 1}, {1, 0, 1}, {1, 1, 0}};
    // Each box 2x1x1... under (2,2,2): [0,2]x[1,2]x[1,2] = 2 each; pairwise overlaps [1,2]^3 = 1
    // each, triple overlap 1: 3*2 - 3*1 + 1 = 4.
    assertThat(Hypervolume.of(three, new double[] {2, 2, 2})).isCloseTo(4.0, within(1e-12));
  }

  @Test
  void greedySelectionTakesTheLargestGainFirst() {
    double[][] pts = {{0, 10}, {5, 5}, {10, 0}, {6, 6}};
    // Under (11, 11): (5,5) alone covers 36, the extremes 11 each.
    assertThat(Hypervolume.greedySubset(pts, 1, new double[] {11, 11})).containsExactly(1);
    assertThat(Hypervolume.greedySubset(pts, 3, new double[] {11, 11}))
        .containsExactlyInAnyOrder(0, 1, 2);
  }
}
