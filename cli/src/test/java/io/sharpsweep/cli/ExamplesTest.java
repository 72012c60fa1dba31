package io.sharpsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.StudySpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every study file a user may copy (examples/ and the demo's) is valid as the scheduler will judge
 * it.
 */
class ExamplesTest {
  @Test
  void everyExampleStudyIsValid() throws IOException {
    Path examples = Path.of("..", "examples");
    List<Path> files;
    try (Stream<Path> s = Files.list(examples)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(4);
    for (Path f : files) {
      StudySpec spec = Json.decodeYaml(Files.readString(f), StudySpec.class);
      assertThat(StudySpecValidator.validate(spec)).as(f.toString()).isEmpty();
    }
  }

  @Test
  void theDemoStudiesAreValid() throws IOException {
    for (String name : List.of("quick.yaml", "full.yaml")) {
      try (var in = ExamplesTest.class.getResourceAsStream("/io/sharpsweep/cli/demo/" + name)) {
        StudySpec spec =
            Json.decodeYaml(
                new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                StudySpec.class);
        assertThat(StudySpecValidator.validate(spec)).as(name).isEmpty();
      }
    }
  }
}
