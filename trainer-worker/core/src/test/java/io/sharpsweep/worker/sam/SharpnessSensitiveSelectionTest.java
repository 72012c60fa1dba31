package io.sharpsweep.worker.sam;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.worker.sam.selection.SharpnessSensitiveSelection;
import org.junit.jupiter.api.Test;

/** ESAM's data selection, T12 of docs/sam-variants.md#tests. */
class SharpnessSensitiveSelectionTest {
  private static final double[] S = {0.4, 0.1, 0.4, 0.05, 0.05, 0.6, 0.05, 0.05};
  private static final double[] TIES = {0.3, 0.3, 0.3, 0.3, 0.1, 0, 0, 0};

  @Test
  void specSelectsExactlyCeilGammaBByTopKWithLowerIndexFirstOnTies() {
    assertThat(SharpnessSensitiveSelection.select(S, 0.5, false)).containsExactly(0, 1, 2, 5);
    assertThat(SharpnessSensitiveSelection.select(TIES, 0.25, false)).containsExactly(0, 1);
  }

  @Test
  void officialStrictCutoffKeepsOneFewerAndNoneOnTies() {
    assertThat(SharpnessSensitiveSelection.select(S, 0.5, true)).containsExactly(0, 2, 5);
    assertThat(SharpnessSensitiveSelection.select(TIES, 0.25, true)).isEmpty();
    assertThat(SharpnessSensitiveSelection.select(S, 0.995, true)).hasSize(8);
  }

  @Test
  void keepsMaxOneCeilGammaB() {
    assertThat(new SharpnessSensitiveSelection(0.5, false).keep(128)).isEqualTo(64);
    assertThat(new SharpnessSensitiveSelection(0.3, false).keep(10)).isEqualTo(3);
    assertThat(new SharpnessSensitiveSelection(0.5, false).keep(127)).isEqualTo(64);
    assertThat(new SharpnessSensitiveSelection(0.01, false).keep(10)).isEqualTo(1);
    assertThat(new SharpnessSensitiveSelection(1.0, false).keep(96)).isEqualTo(96);
  }
}
