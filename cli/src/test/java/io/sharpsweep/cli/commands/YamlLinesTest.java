package io.sharpsweep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class YamlLinesTest {
  static final String DOC =
      """
      name: x
      space:
        - {name: lr, type: float, low: 0.3, high: 0.01}
        - name: rho
          type: float
          low: 0.0
      budget: {trials: 0, parallelism: 2}
      """;

  @Test
  void fieldPathsMapToTheirLines() {
    var lines = new YamlLines(DOC);
    assertThat(lines.lineOf("name")).isEqualTo(1);
    assertThat(lines.lineOf("space[0].low")).isEqualTo(3);
    assertThat(lines.lineOf("space[1].low")).isEqualTo(6);
    assertThat(lines.lineOf("budget.trials")).isEqualTo(7);
    assertThat(lines.lineOf("space[1].when.variant")).isEqualTo(4);
    assertThat(lines.lineOf("nowhere")).isEqualTo(-1);
  }
}
