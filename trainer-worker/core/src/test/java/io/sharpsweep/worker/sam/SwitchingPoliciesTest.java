package io.sharpsweep.worker.sam;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.sharpsweep.worker.sam.policy.PeriodicSam;
import io.sharpsweep.worker.sam.policy.RandomSwitching;
import io.sharpsweep.worker.sam.policy.SeededStream;
import org.junit.jupiter.api.Test;

/** RST's and SAM-k's decisions, T10 of docs/sam-variants.md#tests. */
class SwitchingPoliciesTest {

  private static boolean[] decisions(RandomSwitching policy, int n) {
    boolean[] out = new boolean[n];
    for (int t = 0; t < n; t++) {
      out[t] = policy.samStep(t, n, null);
    }
    return out;
  }

  @Test
  void rstDrawsSamStepsWithProbabilityPDeterministically() {
    boolean[] a = decisions(new RandomSwitching(0.5, 11), 10_000);
    boolean[] b = decisions(new RandomSwitching(0.5, 11), 10_000);
    assertThat(a).isEqualTo(b);
    int sam = 0;
    for (boolean d : a) {
      sam += d ? 1 : 0;
    }
    assertThat(sam / 10_000.0).isBetween(0.48, 0.52);
    assertThat(decisions(new RandomSwitching(0.5, 12), 10_000)).isNotEqualTo(a);
    assertThat(decisions(new RandomSwitching(1.0, 11), 1000)).containsOnly(true);
    assertThat(decisions(new RandomSwitching(0.0, 11), 1000)).containsOnly(false);
  }

  @Test
  void rstStateResumesTheSameStream() {
    RandomSwitching straight = new RandomSwitching(0.3, 5);
    boolean[] all = decisions(straight, 200);
    RandomSwitching first = new RandomSwitching(0.3, 5);
    decisions(first, 120);
    RuleState state = new RuleState(null);
    first.saveState(state);
    RandomSwitching resumed = new RandomSwitching(0.3, 999);
    resumed.loadState(RuleState.of(state.numbers(), state.integers(), null), (NDManager) null);
    boolean[] rest = decisions(resumed, 80);
    for (int i = 0; i < 80; i++) {
      assertThat(rest[i]).isEqualTo(all[120 + i]);
    }
  }

  @Test
  void samKWithKFiveMakesExactlyTwentySamStepsInAHundred() {
    PeriodicSam k5 = new PeriodicSam(5);
    int sam = 0;
    for (int t = 0; t < 100; t++) {
      sam += k5.samStep(t, 100, null) ? 1 : 0;
    }
    assertThat(sam).isEqualTo(20);
    assertThat(k5.samStep(0, 100, null)).isTrue(); // phase 0
  }

  @Test
  void seededStreamsAreUniformAndIndependentPerStream() {
    SeededStream s = new SeededStream(1, 1);
    double sum = 0;
    for (int i = 0; i < 100_000; i++) {
      double u = s.nextDouble();
      assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
      sum += u;
    }
    assertThat(sum / 100_000).isBetween(0.495, 0.505);
    assertThat(new SeededStream(1, 1).nextLong()).isNotEqualTo(new SeededStream(1, 2).nextLong());
  }
}
