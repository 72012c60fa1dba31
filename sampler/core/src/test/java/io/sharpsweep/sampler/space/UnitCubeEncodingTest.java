package io.sharpsweep.sampler.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.sampler.Requests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnitCubeEncodingTest {
  private final SearchSpace space = Requests.contract("random").space();
  private final UnitCubeEncoding cube = new UnitCubeEncoding(space);

  @Test
  void everyParameterIsOneDimensionInDeclarationOrder() {
    assertThat(cube.dimensions()).isEqualTo(4);
    assertThat(cube.dimensionOf("x")).isZero();
    assertThat(cube.dimensionOf("beta")).isEqualTo(3);
    assertThat(cube.dimensionOf("nope")).isEqualTo(-1);
    assertThat(cube.encoding(2)).isEqualTo(new CategoricalEncoding(List.of("sgd", "sam", "esam")));
    assertThat(cube.param(1).name()).isEqualTo("n");
  }

  @Test
  void aConditionalCoordinateIsUsedOnlyWhenItsConditionHolds() {
    // variant coordinate 0.9 -> third choice "esam" (bins of 1/3), so beta is decoded from 0.5 ->
    // 0.65.
    Map<String, Object> esam = cube.decode(new double[] {0.5, 0.0, 0.9, 0.5});
    assertThat(esam.keySet()).containsExactly("x", "n", "variant", "beta");
    assertThat(esam)
        .containsEntry("x", 2.5)
        .containsEntry("n", 1L)
        .containsEntry("variant", "esam");
    assertThat((Double) esam.get("beta")).isCloseTo(0.65, within(1e-15));
    Map<String, Object> sgd = cube.decode(new double[] {0.5, 0.999, 0.1, 0.5});
    assertThat(sgd)
        .containsExactly(Map.entry("x", 2.5), Map.entry("n", 8L), Map.entry("variant", "sgd"));
    assertThat(space.checkAssignment(esam, "p")).isEmpty();
    assertThat(space.checkAssignment(sgd, "p")).isEmpty();
  }

  @Test
  void anObservationBecomesAPointWithNaNForInactiveParameters() {
    double[] u = cube.encode(Map.of("x", 1.5, "n", 3, "variant", "sgd"));
    assertThat(u[0]).isEqualTo(6.5 / 15);
    assertThat(u[1]).isEqualTo(2.5 / 8);
    assertThat(u[2]).isEqualTo(1 / 6.0);
    assertThat(u[3]).isNaN();
    Map<String, Object> back = cube.decode(new double[] {u[0], u[1], u[2], 0.3});
    assertThat(back.keySet()).containsExactly("x", "n", "variant");
    assertThat((Double) back.get("x")).isCloseTo(1.5, within(1e-14));
    assertThat(back).containsEntry("n", 3L).containsEntry("variant", "sgd");
  }

  @Test
  void aPointOfTheWrongSizeIsRefused() {
    assertThatThrownBy(() -> cube.decode(new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 coordinates");
  }
}
