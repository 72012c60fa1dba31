package io.sharpsweep.protocol.pareto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
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

  // A(1,5) B(2,2) C(5,1) D(3,3) E(4,4) F(2,6), all minimised; front A, B, C.
  static final double[][] SIX = ParetoTest.POINTS;

  @Test
  void twoObjectivesIsTheAreaOfTheUnionOfBoxes() {
    // ref (6,6), front by f1: (6-1)(6-5) + (6-2)(5-2) + (6-5)(2-1) = 5 + 12 + 1
    assertThat(Hypervolume.of(SIX, new double[] {6, 6})).isCloseTo(18.0, within(1e-12));
    // a point beyond the reference adds nothing: with ref (4.5, 6) only A and B count
    assertThat(Hypervolume.of(SIX, new double[] {4.5, 6}))
        .isCloseTo(3.5 * 1 + 2.5 * 3, within(1e-12));
    assertThat(Hypervolume.of(new double[0][], new double[] {1, 1})).isZero();
  }

  @Test
  void frontContributionsAndTheNadirReference() {
    double[] ref = Hypervolume.nadirReference(SIX, 1.0);
    // f1 worst 5, range 4 -> 5.4; f2 worst 6, range 5 -> 6.5
    assertThat(ref).containsExactly(new double[] {5.4, 6.5}, within(1e-12));
    // A: (2-1)(6.5-5) = 1.5, B: (5-2)(5-2) = 9, C: (5.4-5)(2-1) = 0.4; given as C, A, B.
    assertThat(Hypervolume.frontContributions(SIX, new int[] {2, 0, 1}, ref))
        .containsExactly(new double[] {0.4, 1.5, 9}, within(1e-12));
    // the second front F(2,6), D(3,3) alone: F (3-2)(6.5-6) = 0.5, D (5.4-3)(6-3) = 7.2
    assertThat(Hypervolume.frontContributions(SIX, new int[] {3, 5}, ref))
        .containsExactly(new double[] {7.2, 0.5}, within(1e-12));
    // duplicates share their box, so each adds 0
    double[][] twins = {{1, 2}, {1, 2}};
    assertThat(Hypervolume.frontContributions(twins, new int[] {0, 1}, new double[] {3, 3}))
        .containsExactly(0, 0);
    // a flat objective moves by the margin instead: (1, 2) -> (2, 3) and (2, 3) -> (3, 4) with 1,
    // (2, 3) -> (2.1, 3.1) with 0.1
    assertThat(Hypervolume.nadirReference(twins, 1.0)).containsExactly(2.0, 3.0);
    assertThat(Hypervolume.nadirReference(new double[][] {{2, 3}, {2, 3}}, 1.0))
        .containsExactly(3.0, 4.0);
    assertThat(Hypervolume.nadirReference(new double[][] {{2, 3}}, 0.1))
        .containsExactly(new double[] {2.1, 3.1}, within(1e-12));
  }

  @Test
  void threeObjectivesOfAKnownSet() {
    // (1,2,3), (2,3,1), (3,1,2) under (4,4,4): boxes 3·2·1 = 6 each; each pair meets in the box of
    // its componentwise maximum, (2,3,3), (3,3,2), (3,2,3): 2 each; all three in (3,3,3): 1.
    // 3·6 − 3·2 + 1 = 13.
    double[][] pts = {{1, 2, 3}, {2, 3, 1}, {3, 1, 2}};
    assertThat(Hypervolume.of(pts, new double[] {4, 4, 4})).isCloseTo(13.0, within(1e-12));
    // (2,2,2) is dominated by none of them; of its box [2,4]^3 the others cover every point with
    // some coordinate >= 3, so it adds [2,3)^3 alone: 1. (1,2,3) keeps [1,2)x[2,4)x[3,4): 2, and
    // so on by symmetry.
    double[][] four = {{1, 2, 3}, {2, 3, 1}, {3, 1, 2}, {2, 2, 2}};
    assertThat(Hypervolume.of(four, new double[] {4, 4, 4})).isCloseTo(14.0, within(1e-12));
    assertThat(Hypervolume.contributions(four, new double[] {4, 4, 4}))
        .containsExactly(new double[] {2, 2, 2, 1}, within(1e-12));
  }

  @Test
  void nonFiniteValuesAsDefined() {
    double inf = Double.POSITIVE_INFINITY;
    double[] ref = {4, 4};
    // NaN and +∞ never lie strictly inside the reference: they add nothing.
    double[][] pts = {{2, 2}, {Double.NaN, 1}, {1, inf}};
    assertThat(Hypervolume.of(pts, ref)).isCloseTo(4.0, within(1e-12));
    assertThat(Hypervolume.of(new double[][] {{-inf, 2}}, ref)).isInfinite();
    assertThat(Hypervolume.of(new double[][] {{1, 1, -inf}}, new double[] {4, 4, 4})).isInfinite();
  }

  /** Dominated points add nothing: the volume of a set is that of its first front. */
  @Test
  void volumeOfASetIsThatOfItsFirstFront() {
    Random random = new Random(11);
    for (int round = 0; round < 200; round++) {
      int k = 2 + random.nextInt(3);
      double[][] pts = randomPoints(random, 1 + random.nextInt(25), k);
      double[][] front =
          IntStream.of(Pareto.firstFront(pts)).mapToObj(i -> pts[i]).toArray(double[][]::new);
      double[] ref = filled(k, 1.0);
      assertThat(Hypervolume.of(front, ref))
          .as("round %d", round)
          .isCloseTo(Hypervolume.of(pts, ref), within(1e-12));
    }
  }

  /** Slicing and the sweep agree with inclusion–exclusion over every subset of boxes. */
  @Test
  void exactVolumeAgreesWithInclusionExclusion() {
    Random random = new Random(5);
    for (int round = 0; round < 300; round++) {
      int k = 2 + random.nextInt(3);
      double[][] pts = randomPoints(random, 1 + random.nextInt(8), k);
      double[] ref = filled(k, 1.0);
      assertThat(Hypervolume.of(pts, ref))
          .as("round %d, %d objectives", round, k)
          .isCloseTo(inclusionExclusion(pts, ref), within(1e-9));
    }
  }

  /** On a front of two objectives the direct boxes equal the differences of volumes. */
  @Test
  void frontContributionsEqualTheDifferencesOfVolumes() {
    Random random = new Random(3);
    for (int round = 0; round < 200; round++) {
      double[][] pts = randomPoints(random, 1 + random.nextInt(15), 2);
      int[] front = Pareto.firstFront(pts);
      double[][] onFront = IntStream.of(front).mapToObj(i -> pts[i]).toArray(double[][]::new);
      double[] ref = Hypervolume.nadirReference(pts, 1.0);
      assertThat(Hypervolume.frontContributions(pts, front, ref))
          .as("round %d", round)
          .containsExactly(Hypervolume.contributions(onFront, ref), within(1e-12));
    }
  }

  /**
   * Values on a coarse grid (ties and duplicates) or uniform, some beyond the reference point 1.
   */
  private static double[][] randomPoints(Random random, int n, int k) {
    boolean grid = random.nextBoolean();
    double[][] pts = new double[n][k];
    for (double[] p : pts) {
      for (int j = 0; j < k; j++) {
        p[j] = grid ? random.nextInt(6) / 5.0 : random.nextDouble() * 1.1;
      }
    }
    return pts;
  }

  private static double[] filled(int k, double v) {
    double[] out = new double[k];
    java.util.Arrays.fill(out, v);
    return out;
  }

  /**
   * The volume of the union of the boxes {@code [p, ref]}: the sum over non-empty subsets {@code T}
   * of {@code (-1)^(|T|+1)} times the volume of the box of their componentwise maximum.
   */
  private static double inclusionExclusion(double[][] pts, double[] ref) {
    double total = 0;
    for (int mask = 1; mask < 1 << pts.length; mask++) {
      double box = 1;
      for (int j = 0; j < ref.length; j++) {
        double corner = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < pts.length; i++) {
          if ((mask & 1 << i) != 0) {
            corner = Math.max(corner, pts[i][j]);
          }
        }
        box *= Math.max(0, ref[j] - corner);
      }
      total += Integer.bitCount(mask) % 2 == 1 ? box : -box;
    }
    return total;
  }
}
