package io.sharpsweep.protocol.pareto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class Pareto2DTest {
  // A(1,5) B(2,2) C(5,1) D(3,3) E(4,4) F(2,6), all minimised.
  static final double[][] POINTS = {{1, 5}, {2, 2}, {5, 1}, {3, 3}, {4, 4}, {2, 6}};

  @Test
  void nonDominatedSortingPeelsFronts() {
    assertThat(Pareto2D.front(POINTS)).containsExactly(0, 1, 2);
    assertThat(Pareto2D.fronts(POINTS))
        .containsExactly(java.util.List.of(0, 1, 2), java.util.List.of(5, 3), java.util.List.of(4));
    assertThat(Pareto2D.dominates(POINTS[1], POINTS[3])).isTrue();
    assertThat(Pareto2D.dominates(POINTS[3], POINTS[3])).isFalse();
  }

  @Test
  void hypervolumeIsTheAreaOfTheUnionOfBoxes() {
    // ref (6,6): (6-1)(6-5) + (6-2)(5-2) + (6-5)(2-1) = 5 + 12 + 1
    assertThat(Pareto2D.hypervolume(POINTS, new double[] {6, 6})).isCloseTo(18.0, within(1e-12));
    // a point beyond the reference adds nothing: with ref (4.5, 6) only A and B count
    assertThat(Pareto2D.hypervolume(POINTS, new double[] {4.5, 6}))
        .isCloseTo(3.5 * 1 + 2.5 * 3, within(1e-12));
    assertThat(Pareto2D.hypervolume(new double[0][], new double[] {1, 1})).isZero();
  }

  @Test
  void contributionsAndTheNadirReference() {
    double[] ref = Pareto2D.nadirReference(POINTS);
    assertThat(ref).containsExactly(new double[] {5.4, 6.5}, within(1e-12));
    // A: (2-1)(6.5-5) = 1.5, B: (5-2)(5-2) = 9, C: (5.4-5)(2-1) = 0.4
    assertThat(Pareto2D.contributions(POINTS, java.util.List.of(0, 1, 2), ref))
        .containsExactly(new double[] {1.5, 9, 0.4}, within(1e-12));
    assertThat(Pareto2D.nadirReference(new double[][] {{2, 3}, {2, 3}})).containsExactly(3.0, 4.0);
  }
}
