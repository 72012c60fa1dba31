package io.sharpsweep.protocol.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.study.FidelityLadder.Bracket;
import org.junit.jupiter.api.Test;

class FidelityLadderTest {
  private static FidelityLadder ladder(String type, Integer min, int max, Integer eta, int trials) {
    return FidelityLadder.of(new SchedulerSpec(type, min, max, eta), trials);
  }

  @Test
  void rungsAreMinTimesEtaToTheKCappedByMax() {
    FidelityLadder l = ladder("asha", 1, 27, 3, 100);
    assertThat(l.epochs()).containsExactly(1, 3, 9, 27);
    assertThat(l.topRung()).isEqualTo(3);
    assertThat(l.rungOf(9)).isEqualTo(2);
    assertThat(l.rungOf(4)).isEqualTo(-1);
    assertThat(l.rungAfter(3)).isEqualTo(2);
    assertThat(l.rungAfter(0)).isZero();
    assertThat(l.rungAfter(27)).isEqualTo(-1);
    assertThat(ladder("asha", 1, 20, 3, 100).epochs()).containsExactly(1, 3, 9, 20);
    assertThat(ladder("asha", 2, 27, 3, 100).epochs()).containsExactly(2, 6, 18, 27);
    assertThat(ladder("asha", null, 8, null, 100).epochs())
        .containsExactly(1, 3, 8); // defaults 1 and 3
    assertThat(ladder("asha", 1, 16, 2, 100).epochs()).containsExactly(1, 2, 4, 8, 16);
    FidelityLadder none = ladder("none", null, 5, null, 10);
    assertThat(none.epochs()).containsExactly(5);
    assertThat(none.multiFidelity()).isFalse();
    assertThat(none.firstEpoch(7)).isEqualTo(5);
  }

  @Test
  void ashaHasOneBracketFromRungZero() {
    FidelityLadder l = ladder("asha", 1, 27, 3, 100);
    assertThat(l.synchronous()).isFalse();
    assertThat(l.bracketOf(0)).isEqualTo(new Bracket(0, 3, 0, 0, 100));
    assertThat(l.bracketOf(99)).isEqualTo(new Bracket(0, 3, 0, 0, 100));
    assertThat(l.firstEpoch(42)).isEqualTo(1);
  }

  @Test
  void shaBracketsHoldEtaToTheKTrialsAndTheLastOneWhatIsLeft() {
    FidelityLadder l = ladder("sha", 1, 27, 3, 100);
    assertThat(l.synchronous()).isTrue();
    assertThat(l.bracketOf(0)).isEqualTo(new Bracket(0, 3, 0, 0, 27));
    assertThat(l.bracketOf(26).index()).isZero();
    assertThat(l.bracketOf(27)).isEqualTo(new Bracket(1, 3, 0, 27, 27));
    assertThat(l.bracketOf(99)).isEqualTo(new Bracket(3, 3, 0, 81, 19));
  }

  @Test
  void hyperbandBracketsFollowLiEtAl() {
    // K = 3, eta = 3: n_s = ceil(4·3^s/(s+1)) = 27, 12, 6, 4 starting at rungs 0, 1, 2, 3 (epochs
    // 1, 3, 9, 27).
    FidelityLadder l = ladder("hyperband", 1, 27, 3, 100);
    assertThat(l.bracket(0)).isEqualTo(new Bracket(0, 3, 0, 0, 27));
    assertThat(l.bracket(1)).isEqualTo(new Bracket(1, 2, 1, 27, 12));
    assertThat(l.bracket(2)).isEqualTo(new Bracket(2, 1, 2, 39, 6));
    assertThat(l.bracket(3)).isEqualTo(new Bracket(3, 0, 3, 45, 4));
    assertThat(l.bracket(4)).isEqualTo(new Bracket(4, 3, 0, 49, 27));
    assertThat(l.bracket(8))
        .isEqualTo(new Bracket(8, 3, 0, 98, 2)); // 100 trials: the third cycle is cut to 2
    assertThat(l.bracketOf(26).index()).isZero();
    assertThat(l.bracketOf(27).index()).isEqualTo(1);
    assertThat(l.bracketOf(48)).isEqualTo(l.bracket(3));
    assertThat(l.bracketOf(49)).isEqualTo(l.bracket(4));
    assertThat(l.bracketOf(99)).isEqualTo(l.bracket(8));
    assertThat(l.firstEpoch(0)).isEqualTo(1);
    assertThat(l.firstEpoch(30)).isEqualTo(3);
    assertThat(l.firstEpoch(40)).isEqualTo(9);
    assertThat(l.firstEpoch(46)).isEqualTo(27);
    // bohb lays brackets out the same way
    assertThat(ladder("bohb", 1, 27, 3, 100).bracketOf(40)).isEqualTo(l.bracketOf(40));
    // eta 2, 1..8: K = 3, n_s = ceil(4·2^s/(s+1)) = 8, 6, 4, 4
    FidelityLadder two = ladder("hyperband", 1, 8, 2, 1000);
    assertThat(two.bracket(0).size()).isEqualTo(8);
    assertThat(two.bracket(1).size()).isEqualTo(6);
    assertThat(two.bracket(2).size()).isEqualTo(4);
    assertThat(two.bracket(3).size()).isEqualTo(4);
  }

  @Test
  void theModelRungIsTheHighestWithTenTimesDimensionsPlusOneObservations() {
    assertThat(FidelityLadder.modelObservations(2)).isEqualTo(30);
    assertThat(FidelityLadder.modelRung(new int[] {60, 30, 12, 1}, 2)).isEqualTo(1);
    assertThat(FidelityLadder.modelRung(new int[] {60, 29, 12, 1}, 2)).isZero();
    assertThat(FidelityLadder.modelRung(new int[] {31, 30, 30, 0}, 2)).isEqualTo(2);
    assertThat(FidelityLadder.modelRung(new int[] {9, 3, 1, 0}, 6))
        .isZero(); // none has 70: the fullest rung
    assertThat(FidelityLadder.modelRung(new int[] {2, 2, 0, 0}, 6)).isEqualTo(1); // ties go up
    assertThat(FidelityLadder.modelRung(new int[] {0, 0, 0, 0}, 6)).isEqualTo(-1);
  }

  @Test
  void reseededSpecsDifferPerCallAndPerSeed() {
    SamplerSpec spec = new SamplerSpec("tpe", 7L, java.util.Map.of("multivariate", true));
    assertThat(spec.reseeded(3)).isEqualTo(spec.reseeded(3));
    assertThat(spec.reseeded(3).seed()).isNotEqualTo(spec.reseeded(4).seed());
    assertThat(new SamplerSpec("tpe", 8L, null).reseeded(2).seed())
        .isNotEqualTo(spec.reseeded(3).seed());
    assertThat(spec.reseeded(3).options()).isEqualTo(spec.options());
    assertThat(spec.reseeded(3).type()).isEqualTo("tpe");
  }

  @Test
  void badLaddersAreRefused() {
    assertThatThrownBy(() -> ladder("asha", 27, 27, 3, 10))
        .hasMessageContaining("minEpochs < maxEpochs");
    assertThatThrownBy(() -> ladder("asha", 1, 27, 3, 0)).hasMessageContaining("budget.trials");
    assertThatThrownBy(() -> ladder("asha", 1, 27, 3, 10).bracket(1))
        .hasMessageContaining("one bracket");
  }
}
