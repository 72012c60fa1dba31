package io.sharpsweep.worker.sam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.knobs.Knob;
import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.protocol.knobs.KnobRange;
import io.sharpsweep.protocol.knobs.KnobType;
import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.config.Knobs;
import io.sharpsweep.worker.engine.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The worker reads exactly the knobs {@link KnobCatalogue} says each variant reads, with the
 * catalogue's defaults, and refuses exactly the values outside the catalogue's ranges.
 */
class KnobCatalogueAgreementTest {
  private static boolean shared(Knob k) {
    return k.variants().equals(KnobCatalogue.VARIANTS);
  }

  private static List<Knob> ownKnobs(String variant) {
    return KnobCatalogue.forVariant(variant).stream().filter(k -> !shared(k)).toList();
  }

  @Test
  void theWorkerTrainsEveryVariantOfTheCatalogueInItsOrder() {
    assertThat(List.copyOf(Variants.names())).isEqualTo(KnobCatalogue.VARIANTS);
  }

  @Test
  void everyVariantReadsTheCataloguesKnobsForItWithTheirDefaults() {
    for (Variant v : Variants.all()) {
      Knobs knobs = new Knobs(Map.of());
      v.create(knobs, 1);
      Map<String, Object> expected = new LinkedHashMap<>();
      for (Knob k : ownKnobs(v.name())) {
        expected.put(k.name(), k.defaultFor(v.name()));
      }
      assertThat(knobs.read())
          .as("knobs %s reads, with their defaults", v.name())
          .isEqualTo(expected);
      assertThat(v.knobs()).as("knobs %s declares", v.name()).isEqualTo(ownKnobs(v.name()));
    }
    Knobs asam = new Knobs(Map.of());
    Variants.forName("asam").create(asam, 1);
    assertThat(asam.read()).containsEntry("rho", 0.5);
  }

  @Test
  void theSharedKnobsAreReadWithTheCataloguesDefaults() {
    Knobs knobs = new Knobs(Map.of());
    TrainingConfig c = TrainingConfig.from(knobs);
    Map<String, Object> expected =
        KnobCatalogue.all().stream()
            .filter(KnobCatalogueAgreementTest::shared)
            .collect(
                Collectors.toMap(Knob::name, Knob::defaultValue, (a, b) -> a, LinkedHashMap::new));
    assertThat(knobs.read()).isEqualTo(expected);
    assertThat(c.variant()).isEqualTo("sgd");
    assertThat(c.batchSize()).isEqualTo(128);
    assertThat(c.sgd().learningRate()).isEqualTo(0.05);
    assertThat(c.sgd().momentum()).isEqualTo(0.9);
    assertThat(c.sgd().weightDecay()).isEqualTo(5e-4);
    assertThat(c.sgd().nesterov()).isFalse();
  }

  /** Values just inside and just outside each end of a range, by its brackets. */
  private static List<Object> inside(Knob k) {
    KnobRange r = k.range();
    List<Object> in = new ArrayList<>();
    double mid = (r.min() + r.max()) / 2;
    in.add(r.minInclusive() ? r.min() : (k.type() == KnobType.INT ? r.min() + 1 : mid));
    in.add(r.maxInclusive() ? r.max() : (k.type() == KnobType.INT ? r.max() - 1 : mid));
    return k.type() == KnobType.INT
        ? in.stream().map(x -> (Object) (int) (double) (Double) x).toList()
        : in;
  }

  private static List<Object> outside(Knob k) {
    KnobRange r = k.range();
    double below = r.minInclusive() ? r.min() - (k.type() == KnobType.INT ? 1 : 1e-9) : r.min();
    double above = r.maxInclusive() ? r.max() + (k.type() == KnobType.INT ? 1 : 1e-9) : r.max();
    return k.type() == KnobType.INT ? List.of((int) below, (int) above) : List.of(below, above);
  }

  private static void create(String variant, String knob, Object value) {
    Map<String, Object> config = Map.of(knob, value);
    Knobs knobs = new Knobs(config);
    TrainingConfig.from(knobs);
    Variants.forName(variant).create(knobs, 1);
  }

  @Test
  void theWorkerRefusesExactlyTheValuesOutsideTheCataloguesRanges() {
    for (Variant v : Variants.all()) {
      for (Knob k : KnobCatalogue.forVariant(v.name())) {
        if (k.range() == null) {
          continue;
        }
        for (Object ok : inside(k)) {
          assertThatCode(() -> create(v.name(), k.name(), ok))
              .as("%s with %s = %s", v.name(), k.name(), ok)
              .doesNotThrowAnyException();
        }
        for (Object bad : outside(k)) {
          assertThatThrownBy(() -> create(v.name(), k.name(), bad))
              .as("%s with %s = %s", v.name(), k.name(), bad)
              .isInstanceOf(InvalidConfigException.class)
              .hasMessageStartingWith("config." + k.name() + " must be in ");
        }
      }
    }
  }

  @Test
  void aKnobOfAnotherVariantIsIgnoredEvenOutsideItsRange() {
    for (Variant v : Variants.all()) {
      for (Knob k : KnobCatalogue.all()) {
        if (k.range() == null || k.usedBy(v.name())) {
          continue;
        }
        Object bad = outside(k).get(1);
        assertThatCode(() -> create(v.name(), k.name(), bad))
            .as("%s with %s = %s", v.name(), k.name(), bad)
            .doesNotThrowAnyException();
      }
    }
  }

  @Test
  void errorsNameTheKnobAndTheRuleAsBefore() {
    assertThatThrownBy(() -> create("esam", "beta", 1.5))
        .hasMessage("config.beta must be in (0.0, 1.0], got 1.5");
    assertThatThrownBy(() -> create("ae-sam", "delta", 1.0))
        .hasMessage("config.delta must be in [0.0, 1.0), got 1.0");
    assertThatThrownBy(() -> create("looksam", "k", 0))
        .hasMessage("config.k must be in [1, 1000000], got 0");
    assertThatThrownBy(() -> create("sgd", "batch-size", 2.5))
        .hasMessage("config.batch-size must be an integer, got 2.5 (Double)");
    assertThatThrownBy(() -> create("sgd", "nesterov", "yes"))
        .hasMessage("config.nesterov must be true or false, got \"yes\"");
  }
}
