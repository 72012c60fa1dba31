package io.sharpsweep.protocol.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.Json;
import org.junit.jupiter.api.Test;

class SuggestRequestTest {
  static final String CONTRACT = SuggestRequest.EXAMPLE;

  @Test
  void theContractExampleIsValid() {
    SuggestRequest r = Json.decode(CONTRACT, SuggestRequest.class);
    assertThat(r.validate()).isEmpty();
    assertThat(r.countOrDefault()).isEqualTo(2);
    assertThat(r.sampler().seedOrDefault()).isEqualTo(7L);
  }

  @Test
  void pointsOutsideTheSpaceAndBadValuesAreNamed() {
    assertThat(fieldsOf(CONTRACT.replace("\"x\": 1.5", "\"x\": 11.5")))
        .containsExactly("observations[0].params.x");
    assertThat(fieldsOf(CONTRACT.replace("[0.91]", "[null]")))
        .containsExactly("observations[0].values[0]");
    assertThat(fieldsOf(CONTRACT.replace("[0.91]", "[0.91, 0.2]")))
        .containsExactly("observations[0].values");
    assertThat(
            fieldsOf(
                CONTRACT.replace(
                    "\"variant\": \"sam\"}}]", "\"variant\": \"sam\", \"beta\": 0.5}}]")))
        .containsExactly("pending[0].params.beta");
    assertThat(fieldsOf(CONTRACT.replace("\"count\": 2", "\"count\": 0"))).containsExactly("count");
    assertThat(fieldsOf(CONTRACT.replace("\"low\": 0.3, \"high\": 1", "\"low\": 3, \"high\": 1")))
        .containsExactly("space.params[3].low");
    assertThat(fieldsOf(CONTRACT.replace("\"goal\": \"maximize\"", "\"goal\": null")))
        .containsExactly("objectives[0].goal");
  }

  @Test
  void nullElementsOfItsListsAreNamed() {
    assertThat(
            fieldsOf(
                CONTRACT.replace("{\"space\": {\"params\": [", "{\"space\": {\"params\": [null, ")))
        .containsExactly("space.params[0]");
    assertThat(
            fieldsOf(
                CONTRACT.replace(
                    "[{\"name\": \"val_accuracy\", \"goal\": \"maximize\"}]", "[null]")))
        .containsExactly("objectives[0]");
    assertThat(fieldsOf(CONTRACT.replace("\"choices\": [\"sgd\",", "\"choices\": [null, \"sgd\",")))
        .containsExactly("space.params[2].choices[0]");
    assertThat(fieldsOf(CONTRACT.replace("\"observations\": [", "\"observations\": [null, ")))
        .containsExactly("observations[0]");
    assertThat(fieldsOf(CONTRACT.replace("\"pending\": [", "\"pending\": [null, ")))
        .containsExactly("pending[0]");
  }

  @Test
  void aParameterWithoutANameBeforeAConditionalOneIsNamed() {
    String nameless =
        CONTRACT.replace("{\"name\": \"x\", \"type\": \"float\"", "{\"type\": \"float\"");
    assertThat(fieldsOf(nameless)).containsExactly("space.params[0].name");
  }

  @Test
  void aModelFreeSamplerIsAskedForAWholeBatchAModelBasedOneForAHundredAtMost() {
    assertThat(SuggestRequest.maxCountPerCall("random")).isEqualTo(1000);
    assertThat(SuggestRequest.maxCountPerCall("sobol")).isEqualTo(1000);
    for (String type : java.util.List.of("tpe", "gp", "parego", "motpe")) {
      assertThat(SuggestRequest.maxCountPerCall(type)).as(type).isEqualTo(100);
    }
    assertThat(SuggestRequest.maxCountPerCall(null)).isEqualTo(100);
  }

  private static java.util.List<String> fieldsOf(String json) {
    return Json.decode(json, SuggestRequest.class).validate().stream()
        .map(FieldError::field)
        .toList();
  }
}
