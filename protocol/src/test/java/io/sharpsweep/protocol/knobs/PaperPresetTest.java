package io.sharpsweep.protocol.knobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaperPresetTest {

  @Test
  void eachVariantOfTheSpaceGetsItsPapersDefaults() {
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.categorical("variant", List.of("sam", "esam", "looksam", "ae-sam")),
                ParamSpec.floatParam("lr", 0.01, 0.3, true),
                ParamSpec.floatParam("rho", 0.01, 0.5, true),
                ParamSpec.floatParam("beta", 0.3, 1.0, false)
                    .when(Map.of("variant", List.of("esam"))),
                ParamSpec.floatParam("gamma", 0.3, 1.0, false)
                    .when(Map.of("variant", List.of("esam"))),
                ParamSpec.intParam("k", 2, 20, false).when(Map.of("variant", List.of("looksam"))),
                ParamSpec.floatParam("alpha", 0.1, 1.0, false)
                    .when(Map.of("variant", List.of("looksam"))),
                ParamSpec.floatParam("delta", 0.5, 0.99, false)
                    .when(Map.of("variant", List.of("ae-sam")))));
    List<Map<String, Object>> configs = PaperPreset.configurations(space, null);
    assertThat(configs)
        .containsExactly(
            Map.of("variant", "sam", "lr", 0.05, "rho", 0.05),
            Map.of("variant", "esam", "lr", 0.05, "rho", 0.05, "beta", 0.6, "gamma", 0.5),
            Map.of("variant", "looksam", "lr", 0.05, "rho", 0.05, "k", 5L, "alpha", 0.7),
            Map.of("variant", "ae-sam", "lr", 0.05, "rho", 0.05, "delta", 0.9));
    assertThat(configs).allSatisfy(c -> assertThat(space.checkAssignment(c, "")).isEmpty());
  }

  @Test
  void aDefaultOutsideTheSpaceMovesToTheNearestBoundAndANonKnobToTheMiddle() {
    SearchSpace space =
        new SearchSpace(
            List.of(
                ParamSpec.floatParam("rho", 0.1, 0.4, true),
                ParamSpec.intParam("batch-size", 256, 1024, true),
                ParamSpec.floatParam("lr", 0.01, 1.0, true)));
    assertThat(PaperPreset.configurations(space, "asam"))
        .containsExactly(Map.of("rho", 0.4, "batch-size", 256L, "lr", 0.05));
    assertThat(PaperPreset.fit(ParamSpec.floatParam("x", 0.01, 1.0, true), null))
        .isEqualTo(Math.sqrt(0.01));
    assertThat(PaperPreset.fit(ParamSpec.categorical("x", List.of("a", "b")), "b")).isEqualTo("b");
  }
}
