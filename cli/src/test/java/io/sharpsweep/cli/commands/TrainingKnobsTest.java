package io.sharpsweep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.cli.SharpSweep;
import io.sharpsweep.protocol.knobs.Knob;
import io.sharpsweep.protocol.knobs.KnobCatalogue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code sharpsweep knobs} prints the catalogue; the knob options of {@code train} agree with it.
 */
class TrainingKnobsTest {
  private static String out(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      assertThat(SharpSweep.run(args)).isZero();
      return o.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(out);
    }
  }

  @Test
  void knobsPrintsTheCatalogue() {
    assertThat(out("knobs")).isEqualTo(KnobCatalogue.textTable());
    assertThat(out("knobs", "--markdown")).isEqualTo(KnobCatalogue.markdownTable());
  }

  @Test
  void trainsHelpEndsWithTheKnobTable() {
    String help = out("train", "--help");
    assertThat(help).contains("Training knobs").contains(KnobCatalogue.textTable().strip());
  }

  @Test
  void everyKnobIsAnOptionOfTrainWithTheCataloguesDefault() {
    CommandLine train = new CommandLine(new TrainCommand());
    Pattern firstDefault = Pattern.compile("default:? (-?[0-9.e-]+)");
    for (Knob k : KnobCatalogue.all()) {
      OptionSpec o = train.getCommandSpec().findOption("--" + k.name());
      assertThat(o).as("option --" + k.name()).isNotNull();
      String description = String.join(" ", o.description());
      Matcher m = firstDefault.matcher(description);
      if (k.defaultValue() instanceof Number n) {
        double written =
            m.find() ? Double.parseDouble(m.group(1).replaceAll("\\.$", "")) : Double.NaN;
        if (Double.isNaN(written) && o.defaultValue() != null) {
          written = Double.parseDouble(o.defaultValue());
        }
        assertThat(written).as("default of --" + k.name()).isEqualTo(n.doubleValue());
      }
    }
  }
}
