package io.sharpsweep.protocol.pareto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.study.Goal;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParetoTest {
  // A(1,5) B(2,2) C(5,1) D(3,3) E(4,4) F(2,6), all minimised.
  static final double[][] POINTS = {{1, 5}, {2, 2}, {5, 1}, {3, 3}, {4, 4}, {2, 6}};

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
    assertThat(Pareto.ranks(pts)).containsExactly(0, 0, 0, 1, 1, 2, 0, 3);
    assertThat(Pareto.firstFront(pts)).containsExactly(0, 1, 2, 6);
    assertThat(Pareto.fronts(pts))
        .containsExactly(new int[] {0, 1, 2, 6}, new int[] {3, 4}, new int[] {5}, new int[] {7});
  }

  @Test
  void frontsOfSixPointsByHand() {
    // Front 0: A, B, C (nothing is below-left of them); then F (only A dominates it) and D (B);
    // then E (D dominates it).
    assertThat(Pareto.firstFront(POINTS)).containsExactly(0, 1, 2);
    assertThat(Pareto.fronts(POINTS))
        .containsExactly(new int[] {0, 1, 2}, new int[] {3, 5}, new int[] {4});
    assertThat(Pareto.fronts(new double[0][])).isEmpty();
    assertThat(Pareto.firstFront(new double[0][])).isEmpty();
  }

  @Test
  void dominanceNeedsOneStrictImprovement() {
    assertThat(Pareto.dominates(new double[] {1, 2, 3}, new double[] {1, 2, 4})).isTrue();
    assertThat(Pareto.dominates(new double[] {1, 2, 3}, new double[] {1, 2, 3})).isFalse();
    assertThat(Pareto.dominates(new double[] {0, 3}, new double[] {1, 2})).isFalse();
    assertThat(Pareto.dominates(POINTS[1], POINTS[3])).isTrue();
    assertThat(Pareto.dominates(POINTS[3], POINTS[3])).isFalse();
  }

  @Test
  void threeObjectives() {
    // (1,1,1) dominates (2,2,2); (0,2,2) and (3,3,0) are each best somewhere.
    double[][] pts = {{1, 1, 1}, {0, 2, 2}, {2, 2, 2}, {3, 3, 0}};
    assertThat(Pareto.ranks(pts)).containsExactly(0, 0, 1, 0);
    assertThat(Pareto.firstFront(pts)).containsExactly(0, 1, 3);
  }

  @Test
  void goalsTurnMetricUnitsIntoMinimisationFormAndBack() {
    List<Goal> accuracyAndCost = List.of(Goal.MAXIMIZE, Goal.MINIMIZE);
    // (accuracy 0.9, cost 4) against (0.8, 4): better accuracy at the same cost.
    assertThat(Pareto.dominates(new double[] {0.9, 4}, new double[] {0.8, 4}, accuracyAndCost))
        .isTrue();
    assertThat(Pareto.dominates(new double[] {0.8, 4}, new double[] {0.9, 4}, accuracyAndCost))
        .isFalse();
    // (0.9, 5) and (0.8, 4) trade accuracy for cost: neither dominates.
    assertThat(Pareto.dominates(new double[] {0.9, 5}, new double[] {0.8, 4}, accuracyAndCost))
        .isFalse();
    double[] min = Pareto.minimised(new double[] {0.9, 4}, accuracyAndCost);
    assertThat(min).containsExactly(-0.9, 4);
    assertThat(Pareto.minimised(min, accuracyAndCost)).containsExactly(0.9, 4);
    assertThatThrownBy(() -> Pareto.minimised(new double[] {1, 2, 3}, accuracyAndCost))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void infinitiesAreOrderedAndNaNIsRejected() {
    double inf = Double.POSITIVE_INFINITY;
    // (−∞, 9) is best in f1, (9, −∞) in f2; (0, +∞) is beaten by (−∞, 9); (+∞, +∞) by all.
    double[][] pts = {{-inf, 9}, {9, -inf}, {0, inf}, {inf, inf}};
    assertThat(Pareto.ranks(pts)).containsExactly(0, 0, 1, 2);
    assertThat(Pareto.firstFront(pts)).containsExactly(0, 1);
    // A +∞ value alone is not dominated when nothing is better in the other objective.
    assertThat(Pareto.firstFront(new double[][] {{1, inf}, {2, 0}})).containsExactly(0, 1);
    assertThat(Pareto.firstFront(new double[][] {{-0.0, 5}, {0.0, 1}})).containsExactly(1);

    double[][] withNaN = {{1, 2}, {Double.NaN, 1}};
    assertThatThrownBy(() -> Pareto.ranks(withNaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pareto.firstFront(withNaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pareto.firstFront(new double[][] {{1, 2, 3}, {Double.NaN, 1, 1}}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void minMaxScalingMapsEachObjectiveOntoTheUnitInterval() {
    // f1 over [1, 3], f2 constant 10 -> 0.
    assertThat(Pareto.minMaxScaled(new double[][] {{1, 10}, {3, 10}, {2, 10}}))
        .isDeepEqualTo(new double[][] {{0, 0}, {1, 0}, {0.5, 0}});
  }

  /** The 2-D sweep and the pairwise test for more objectives agree with the ranks' front. */
  @Test
  void firstFrontIsRankZeroOnRandomSetsWithTies() {
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      int k = 2 + random.nextInt(2);
      int n = random.nextInt(30);
      double[][] pts = new double[n][k];
      for (double[] p : pts) {
        for (int j = 0; j < k; j++) {
          p[j] = random.nextInt(6); // few distinct values: many ties and duplicates
        }
      }
      int[] rank = Pareto.ranks(pts);
      int[] rankZero = IntStream.range(0, n).filter(i -> rank[i] == 0).toArray();
      assertThat(Pareto.firstFront(pts)).as("round %d", round).containsExactly(rankZero);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (Pareto.dominates(pts[i], pts[j])) {
            assertThat(rank[i]).isLessThan(rank[j]);
          }
        }
      }
    }
  }
}
