package io.sharpsweep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The shared options of the stack benches: each bench's defaults, parsing and its store's schema.
 */
class BenchStackOptionsTest {
  @Test
  void eachBenchKeepsItsDefaultsAndShowsThemInItsHelp() {
    BenchIngestCommand ingest = new BenchIngestCommand();
    BenchLargeStudyCommand large = new BenchLargeStudyCommand();
    BenchScaleCommand scale = new BenchScaleCommand();
    new CommandLine(ingest).parseArgs();
    new CommandLine(large).parseArgs();
    new CommandLine(scale).parseArgs();
    assertThat(ingest.stack.db()).isEqualTo("h2");
    assertThat(ingest.stack.timeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(large.stack.db()).isEqualTo("postgresql");
    assertThat(large.stack.timeout()).isEqualTo(Duration.ofSeconds(3600));
    assertThat(scale.stack.db()).isEqualTo("h2");
    assertThat(ingest.stack.json() || large.stack.json() || scale.stack.json()).isFalse();

    String help = new CommandLine(new BenchLargeStudyCommand()).getUsageMessage();
    assertThat(help)
        .contains("--db", "(default: postgresql)", "(default: 3600)", "--json", "--work-dir")
        .contains(".sharpsweep/bench-large-study");
  }

  @Test
  void optionsParseAndPostgresqlUsesTheBenchsSchema() throws Exception {
    BenchScaleCommand scale = new BenchScaleCommand();
    new CommandLine(scale).parseArgs("--db", "postgresql", "--timeout", "5", "--json");
    assertThat(scale.stack.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(scale.stack.json()).isTrue();
    Map<String, String> extra =
        scale.stack.stackOptions(Path.of("/home"), Path.of("/work")).extraProperties();
    assertThat(extra)
        .containsEntry(
            "sharpsweep.store.postgresql.url",
            "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=bench_scale")
        .containsEntry("quarkus.flyway.\"postgresql\".schemas", "bench_scale")
        .doesNotContainKey("quarkus.flyway.\"postgresql\".clean-at-start");

    BenchIngestCommand ingest = new BenchIngestCommand();
    new CommandLine(ingest).parseArgs("--db", "postgresql");
    assertThat(ingest.stack.stackOptions(Path.of("/home"), Path.of("/work")).extraProperties())
        .containsEntry("quarkus.flyway.\"postgresql\".schemas", "bench_ingest")
        .containsEntry("quarkus.flyway.\"postgresql\".clean-at-start", "true");
  }
}
