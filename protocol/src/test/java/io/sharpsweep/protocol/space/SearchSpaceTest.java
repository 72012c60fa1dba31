package io.sharpsweep.protocol.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.ValidationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
  static final String CONTRACT_SPACE =
      """
      {"params": [
         {"name": "x", "type": "float", "low": -5, "high": 10, "log": false},
         {"name": "n", "type": "int", "low": 1, "high": 8, "log": false},
         {"name": "variant", "type": "categorical", "choices": ["sgd", "sam", "esam"]},
         {"name": "beta", "type": "float", "low": 0.3, "high": 1, "when": {"variant": ["esam"]}}]}
      """;

  private static SearchSpace contract() {
    return Json.decode(CONTRACT_SPACE, SearchSpace.class);
  }

  private static List<String> fields(List<FieldError> errors) {
    return errors.stream().map(FieldError::field).toList();
  }

  @Test
  void theContractSpaceIsValidAndRoundTrips() {
    SearchSpace s = contract();
    assertThat(s.validate("space.params")).isEmpty();
    assertThat(Json.decode(Json.encode(s), SearchSpace.class)).isEqualTo(s);
    assertThat(s.param("beta").hasCondition()).isTrue();
  }

  @Test
  void conditionalParameterIsActiveExactlyWhenItsParentMatches() {
    SearchSpace s = contract();
    ParamSpec beta = s.param("beta");
    assertThat(s.isActive(beta, Map.of("variant", "esam"))).isTrue();
    assertThat(s.isActive(beta, Map.of("variant", "sam"))).isFalse();
    assertThat(s.isActive(beta, Map.of())).isFalse();
  }

  @Test
  void assignmentsAreCheckedAgainstTheSpace() {
    SearchSpace s = contract();
    assertThat(s.checkAssignment(Map.of("x", 1.5, "n", 3, "variant", "esam", "beta", 0.5), "p"))
        .isEmpty();
    assertThat(s.checkAssignment(Map.of("x", 1.5, "n", 3, "variant", "sgd"), "p")).isEmpty();
    assertThat(fields(s.checkAssignment(Map.of("x", 11.0, "n", 3, "variant", "sgd"), "p")))
        .containsExactly("p.x");
    assertThat(fields(s.checkAssignment(Map.of("x", 1.0, "n", 2.5, "variant", "sgd"), "p")))
        .containsExactly("p.n");
    assertThat(fields(s.checkAssignment(Map.of("x", 1.0, "n", 2, "variant", "adam"), "p")))
        .containsExactly("p.variant");
    assertThat(
            fields(s.checkAssignment(Map.of("x", 1.0, "n", 2, "variant", "sgd", "beta", 0.5), "p")))
        .containsExactly("p.beta");
    assertThat(fields(s.checkAssignment(Map.of("x", 1.0, "n", 2, "variant", "esam"), "p")))
        .containsExactly("p.beta");
    assertThat(
            fields(s.checkAssignment(Map.of("x", 1.0, "n", 2, "variant", "sgd", "zeta", 1), "p")))
        .containsExactly("p.zeta");
    assertThat(fields(s.checkAssignment(Map.of("n", 2, "variant", "sgd"), "p")))
        .containsExactly("p.x");
  }

  @Test
  void everyBrokenRuleNamesItsParameterPath() {
    Map<String, String> cases = new HashMap<>();
    cases.put(
        "{\"params\":[{\"name\":\"x\",\"type\":\"float\",\"low\":2,\"high\":1}]}",
        "space.params[0].low");
    cases.put(
        "{\"params\":[{\"name\":\"x\",\"type\":\"float\",\"low\":0,\"high\":1,\"log\":true}]}",
        "space.params[0].low");
    cases.put(
        "{\"params\":[{\"name\":\"x\",\"type\":\"float\",\"high\":1}]}", "space.params[0].low");
    cases.put(
        "{\"params\":[{\"name\":\"n\",\"type\":\"int\",\"low\":1.5,\"high\":4}]}",
        "space.params[0].low");
    cases.put(
        "{\"params\":[{\"name\":\"c\",\"type\":\"categorical\",\"choices\":[]}]}",
        "space.params[0].choices");
    cases.put(
        "{\"params\":[{\"name\":\"c\",\"type\":\"categorical\",\"choices\":[\"a\",\"a\"]}]}",
        "space.params[0].choices[1]");
    cases.put("{\"params\":[{\"name\":\"x\",\"low\":0,\"high\":1}]}", "space.params[0].type");
    cases.put("{\"params\":[{\"type\":\"float\",\"low\":0,\"high\":1}]}", "space.params[0].name");
    cases.put(
        "{\"params\":[{\"name\":\"x\",\"type\":\"float\",\"low\":0,\"high\":1},{\"name\":\"x\",\"type\":\"float\",\"low\":0,\"high\":1}]}",
        "space.params[1].name");
    cases.put(
        "{\"params\":[{\"name\":\"b\",\"type\":\"float\",\"low\":0,\"high\":1,\"when\":{\"variant\":[\"esam\"]}}]}",
        "space.params[0].when.variant");
    cases.put(
        "{\"params\":[{\"name\":\"v\",\"type\":\"categorical\",\"choices\":[\"a\"]},{\"name\":\"b\",\"type\":\"float\",\"low\":0,\"high\":1,\"when\":{\"v\":[\"z\"]}}]}",
        "space.params[1].when.v[0]");
    cases.put("{\"params\":[]}", "space.params");
    cases.forEach(
        (json, field) ->
            assertThat(fields(Json.decode(json, SearchSpace.class).validate("space.params")))
                .as(json)
                .contains(field));
  }

  @Test
  void nullElementsAreNamedNotThrown() {
    SearchSpace nullParam =
        Json.decode(
            "{\"params\": [null, {\"name\": \"x\", \"type\": \"float\", \"low\": 0, \"high\": 1}]}",
            SearchSpace.class);
    assertThat(nullParam.validate("space.params"))
        .containsExactly(new FieldError("space.params[0]", "must not be null"));
    assertThat(nullParam.param("x")).isNotNull();
    assertThat(new SearchSpace(java.util.Arrays.asList((ParamSpec) null)).validate("space"))
        .containsExactly(new FieldError("space[0]", "must not be null"));

    SearchSpace nullChoice =
        Json.decode(
            "{\"params\": [{\"name\": \"c\", \"type\": \"categorical\", \"choices\": [\"a\", null]}]}",
            SearchSpace.class);
    assertThat(nullChoice.validate("space.params"))
        .containsExactly(new FieldError("space.params[0].choices[1]", "must not be null"));

    SearchSpace nullConditionValue =
        Json.decode(
            "{\"params\": [{\"name\": \"v\", \"type\": \"categorical\", \"choices\": [\"a\"]},"
                + " {\"name\": \"b\", \"type\": \"float\", \"low\": 0, \"high\": 1, \"when\": {\"v\": [null]}}]}",
            SearchSpace.class);
    assertThat(nullConditionValue.validate("space.params"))
        .containsExactly(new FieldError("space.params[1].when.v[0]", "must not be null"));
  }

  @Test
  void aParameterWithoutANameBeforeAConditionalOneIsNamed() {
    // without the parent declared: the nameless parameter and the unknown parent
    SearchSpace noParent =
        Json.decode(
            "{\"params\": [{\"type\": \"float\", \"low\": 0, \"high\": 1},"
                + " {\"name\": \"rho\", \"type\": \"float\", \"low\": 0.01, \"high\": 0.5,"
                + " \"when\": {\"variant\": [\"sam\"]}}]}",
            SearchSpace.class);
    assertThat(fields(noParent.validate("space")))
        .containsExactly("space[0].name", "space[1].when.variant");
    // with the parent declared after the nameless parameter: looking the parent up must skip it
    SearchSpace withParent =
        Json.decode(
            "{\"params\": [{\"type\": \"float\", \"low\": 0, \"high\": 1},"
                + " {\"name\": \"variant\", \"type\": \"categorical\", \"choices\": [\"sgd\", \"sam\"]},"
                + " {\"name\": \"rho\", \"type\": \"float\", \"low\": 0.01, \"high\": 0.5,"
                + " \"when\": {\"variant\": [\"sam\"]}}]}",
            SearchSpace.class);
    assertThat(withParent.validate("space"))
        .containsExactly(new FieldError("space[0].name", "is required"));
    assertThat(withParent.param("variant")).isNotNull();
    assertThat(withParent.param(null)).isNull();
    assertThat(new SearchSpace(null).param("x")).isNull();
  }

  @Test
  void aConditionOnAnIntParentWithoutBoundsReportsOnlyTheParentsOwnErrors() {
    SearchSpace s =
        Json.decode(
            "{\"params\": [{\"name\": \"n\", \"type\": \"int\"},"
                + " {\"name\": \"b\", \"type\": \"float\", \"low\": 0, \"high\": 1, \"when\": {\"n\": [3]}}]}",
            SearchSpace.class);
    assertThat(fields(s.validate("space"))).containsExactly("space[0].low", "space[0].high");
  }

  @Test
  void cyclesAreRejected() {
    SearchSpace s =
        new SearchSpace(
            List.of(
                ParamSpec.categorical("a", List.of("x", "y")).when(Map.of("b", List.of("x"))),
                ParamSpec.categorical("b", List.of("x", "y")).when(Map.of("a", List.of("x")))));
    assertThat(s.validate("space.params"))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("cycle"));
    assertThatThrownBy(() -> s.requireValid("space.params"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void topologicalOrderPutsParentsFirst() {
    SearchSpace s =
        new SearchSpace(
            List.of(
                ParamSpec.floatParam("c", 0, 1, false).when(Map.of("b", List.of("on"))),
                ParamSpec.categorical("b", List.of("on", "off")).when(Map.of("a", List.of(1))),
                ParamSpec.intParam("a", 0, 3, false)));
    assertThat(s.validate("p")).isEmpty();
    assertThat(s.topologicalOrder()).extracting(ParamSpec::name).containsExactly("a", "b", "c");
    assertThat(s.checkAssignment(Map.of("a", 1, "b", "on", "c", 0.5), "p")).isEmpty();
    assertThat(s.checkAssignment(Map.of("a", 2), "p")).isEmpty();
  }

  @Test
  void decodingErrorsNameTheFieldPath() {
    String bad = CONTRACT_SPACE.replace("\"high\": 8", "\"high\": \"eight\"");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.decode(bad, SearchSpace.class))
        .isInstanceOf(io.sharpsweep.protocol.MalformedRecordException.class)
        .extracting(e -> ((io.sharpsweep.protocol.MalformedRecordException) e).field())
        .isEqualTo("params[1].high");
    String badType = CONTRACT_SPACE.replace("\"type\": \"int\"", "\"type\": \"integer\"");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Json.decode(badType, SearchSpace.class))
        .extracting(e -> ((io.sharpsweep.protocol.MalformedRecordException) e).field())
        .isEqualTo("params[1].type");
  }
}
