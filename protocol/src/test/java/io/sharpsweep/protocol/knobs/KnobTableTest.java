package io.sharpsweep.protocol.knobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's table of training knobs (between {@code <!-- knobs:begin -->} and {@code <!--
 * knobs:end -->}) says what {@link KnobCatalogue} says, row by row and cell by cell. When it fails,
 * paste {@link KnobCatalogue#markdownTable()} between the markers.
 */
class KnobTableTest {
  static final String BEGIN = "<!-- knobs:begin -->";
  static final String END = "<!-- knobs:end -->";

  static Path readme() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("README.md");
      if (Files.exists(candidate) && Files.exists(dir.resolve("protocol"))) {
        return candidate;
      }
    }
    throw new AssertionError(
        "the repository's README.md is not above " + Path.of("").toAbsolutePath());
  }

  /** The cells of a Markdown table row: split on unescaped {@code |}, code spans unwrapped. */
  static List<String> cells(String line) {
    String row = line.strip();
    assertThat(row).startsWith("|").endsWith("|");
    row = row.substring(1, row.length() - 1);
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    for (int i = 0; i < row.length(); i++) {
      char c = row.charAt(i);
      if (c == '\\' && i + 1 < row.length() && row.charAt(i + 1) == '|') {
        cell.append('|');
        i++;
      } else if (c == '|') {
        cells.add(unwrap(cell.toString().strip()));
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(unwrap(cell.toString().strip()));
    return cells;
  }

  private static String unwrap(String cell) {
    return cell.length() >= 2 && cell.startsWith("`") && cell.endsWith("`")
        ? cell.substring(1, cell.length() - 1)
        : cell;
  }

  static List<String> tableLines(String readme) {
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README.md has " + BEGIN).isNotNegative();
    assertThat(end).as("README.md has " + END + " after " + BEGIN).isGreaterThan(begin);
    assertThat(readme.indexOf(BEGIN, begin + 1)).as("one " + BEGIN).isNegative();
    return readme.substring(begin + BEGIN.length(), end).lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void theReadmeTableIsTheCatalogue() throws IOException {
    List<String> lines = tableLines(Files.readString(readme()));
    assertThat(lines).hasSizeGreaterThan(2);
    assertThat(cells(lines.get(0))).isEqualTo(KnobCatalogue.COLUMNS);
    assertThat(cells(lines.get(1))).allMatch(c -> c.matches(":?-{3,}:?"));
    List<List<String>> readmeRows =
        lines.subList(2, lines.size()).stream().map(KnobTableTest::cells).toList();
    List<List<String>> catalogueRows = KnobCatalogue.rows();
    assertThat(readmeRows.stream().map(r -> r.get(0)).toList())
        .as("the README's knobs, in order")
        .isEqualTo(KnobCatalogue.names());
    for (int i = 0; i < catalogueRows.size(); i++) {
      assertThat(readmeRows.get(i))
          .as("README row of knob " + catalogueRows.get(i).get(0))
          .isEqualTo(catalogueRows.get(i));
    }
  }

  @Test
  void theGeneratedTableParsesBackToTheCatalogue() {
    List<String> lines = tableLines(BEGIN + "\n" + KnobCatalogue.markdownTable() + END);
    assertThat(lines.subList(2, lines.size()).stream().map(KnobTableTest::cells).toList())
        .isEqualTo(KnobCatalogue.rows());
  }

  @Test
  void aRowThatDisagreesIsSeen() {
    String table =
        KnobCatalogue.markdownTable().replace("| `(0, 1]` | `0.6` |", "| `(0, 1)` | `0.6` |");
    List<String> lines = tableLines(BEGIN + "\n" + table + END);
    assertThat(lines.subList(2, lines.size()).stream().map(KnobTableTest::cells).toList())
        .isNotEqualTo(KnobCatalogue.rows());
  }
}
