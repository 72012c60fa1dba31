package io.sharpsweep.sampler.moo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParetoFrontTest {

  @Test
  void ranksPeelFrontsOffOneByOne() {
    double[][] pts = {
      {1, 5}, // 0: front 0
      {2, 2}, // 1: front 0
      {5, 1}, // 2: front 0
      {3, 3}, // 3: dominated by (2,2) -> 1
      {2, 6}, // 4: dominated by (1,5) -> 1
      {4, 4}, // 5: dominated by (3,3) -> 2
      {2, 2}, // 6: equal to 1: front 0 too
      {6, 6} // 7: dominated by (4,4) -> 3
    };
    assertThat(ParetoFront.ranks(pts)).containsExactly(0, 0, 0, 1, 1, 2, 0, 3);
    assertThat(ParetoFront.front(pts)).containsExactly(0, 1, 2, 6);
  }

  @Test
  void dominanceNeedsOneStrictImprovement() {
    assertThat(ParetoFront.dominates(new double[] {1, 2, 3}, new double[] {1, 2, 4})).isTrue();
    assertThat(ParetoFront.dominates(new double[] {1, 2, 3}, new double[] {1, 2, 3})).isFalse();
    assertThat(ParetoFront.dominates(new double[] {0, 3}, new double[] {1, 2})).isFalse();
  }

  @Test
  void threeObjectives() {
    double[][] pts = {{1, 1, 1}, {0, 2, 2}, {2, 2, 2}, {3, 3, 0}};
    assertThat(ParetoFront.ranks(pts)).containsExactly(0, 0, 1, 0);
  }
}
