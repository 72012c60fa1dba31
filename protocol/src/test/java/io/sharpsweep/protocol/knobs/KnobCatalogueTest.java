package io.sharpsweep.protocol.knobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.study.TrainingCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnobCatalogueTest {
  @Test
  void rangesAreWrittenWithTheirOpenAndClosedEnds() {
    assertThat(KnobCatalogue.BETA.range()).hasToString("(0, 1]");
    assertThat(KnobCatalogue.DELTA.range()).hasToString("[0, 1)");
    assertThat(KnobCatalogue.LAMBDA1.range()).hasToString("[-1000, 1000]");
    assertThat(KnobCatalogue.MOMENTUM.range()).hasToString("[0, 0.999999]");
    assertThat(KnobCatalogue.MONGE_ALPHA.range()).hasToString("[0, 1000000]");
    assertThat(KnobRange.format(5e-4)).isEqualTo("0.0005");
    assertThat(KnobRange.format(-1.0)).isEqualTo("-1");
  }

  @Test
  void boundsAreInsideOrOutsideAsTheirBracketsSay() {
    KnobRange beta = KnobCatalogue.BETA.range();
    assertThat(beta.contains(0)).isFalse();
    assertThat(beta.contains(1e-9)).isTrue();
    assertThat(beta.contains(1)).isTrue();
    assertThat(beta.contains(1.0000001)).isFalse();
    KnobRange delta = KnobCatalogue.DELTA.range();
    assertThat(delta.contains(0)).isTrue();
    assertThat(delta.contains(1)).isFalse();
    assertThat(delta.contains(Double.NaN)).isFalse();
  }

  @Test
  void aValueIsCheckedForTypeAndRange() {
    assertThat(KnobCatalogue.BETA.problem(2)).isEqualTo("must be in (0, 1], got 2");
    assertThat(KnobCatalogue.BETA.problem(0.0)).isEqualTo("must be in (0, 1], got 0");
    assertThat(KnobCatalogue.BETA.problem(1)).isNull();
    assertThat(KnobCatalogue.BETA.problem("0.5")).isEqualTo("must be a number, got \"0.5\"");
    assertThat(KnobCatalogue.BETA.problem(Double.NaN)).isEqualTo("must be a number, got NaN");
    assertThat(KnobCatalogue.K.problem(2.5)).isEqualTo("must be an integer, got 2.5");
    assertThat(KnobCatalogue.K.problem(3.0)).isNull();
    assertThat(KnobCatalogue.K.problem(0)).isEqualTo("must be in [1, 1000000], got 0");
    assertThat(KnobCatalogue.NESTEROV.problem("true"))
        .isEqualTo("must be true or false, got \"true\"");
    assertThat(KnobCatalogue.NESTEROV.problem(true)).isNull();
    assertThat(KnobCatalogue.VARIANT.problem("adam"))
        .isEqualTo("unknown variant 'adam': one of " + KnobCatalogue.VARIANTS);
    assertThat(KnobCatalogue.VARIANT.problem("esam")).isNull();
    assertThat(KnobCatalogue.RHO.problem(null)).isEqualTo("must have a value");
  }

  @Test
  void defaultsMayDependOnTheVariant() {
    assertThat(KnobCatalogue.RHO.defaultFor("sam")).isEqualTo(0.05);
    assertThat(KnobCatalogue.RHO.defaultFor("asam")).isEqualTo(0.5);
    assertThat(KnobCatalogue.RHO.defaultText()).isEqualTo("0.05 (asam: 0.5)");
    assertThat(KnobCatalogue.RHO.usedBy("sgd")).isFalse();
    assertThat(KnobCatalogue.forVariant("esam"))
        .extracting(Knob::name)
        .containsExactly(
            "variant",
            "lr",
            "momentum",
            "weight-decay",
            "nesterov",
            "batch-size",
            "rho",
            "beta",
            "gamma");
  }

  @Test
  void theCatalogueIsTheTrainingCatalogsKnobList() {
    assertThat(TrainingCatalog.KNOBS.keySet())
        .containsExactlyInAnyOrderElementsOf(KnobCatalogue.names());
    assertThat(TrainingCatalog.VARIANTS).isEqualTo(KnobCatalogue.VARIANTS);
    for (Knob k : KnobCatalogue.all()) {
      assertThat(k.problem(k.defaultValue())).as(k.name() + "'s default").isNull();
      for (String v : k.variants()) {
        assertThat(k.problem(k.defaultFor(v))).as(k.name() + "'s default for " + v).isNull();
      }
    }
  }

  @Test
  void aKnobWhoseDefaultBreaksItsRangeCannotBeMade() {
    assertThatThrownBy(
            () ->
                new Knob(
                    "x",
                    KnobType.FLOAT,
                    KnobRange.openClosed(0, 1),
                    List.of(),
                    0.0,
                    Map.of(),
                    List.of("sam"),
                    "x"))
        .hasMessage("x: the default must be in (0, 1], got 0");
  }

  @Test
  void theCliTableHasOneLinePerKnob() {
    List<String> lines = KnobCatalogue.textTable().lines().toList();
    assertThat(lines).hasSize(KnobCatalogue.all().size() + 1);
    assertThat(lines.get(0)).startsWith("knob").contains("range").contains("default");
    assertThat(lines).anyMatch(l -> l.startsWith("beta ") && l.contains("(0, 1]"));
  }
}
