package io.sharpsweep.cli.commands;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep knobs}: the catalogue of training knobs (type, range, default, the variants
 * that read it), the same table as the README's.
 */
@Command(
    name = "knobs",
    mixinStandardHelpOptions = true,
    description =
        "List the training knobs a study, `train` and a worker accept: type, range, default, variants.")
public class KnobsCommand implements Callable<Integer> {
  @Option(names = "--markdown", description = "Print the table as Markdown (the README's).")
  boolean markdown;

  @Override
  public Integer call() {
    System.out.print(markdown ? KnobCatalogue.markdownTable() : KnobCatalogue.textTable());
    return 0;
  }

  /** The footer of {@code train}, {@code replay} and {@code bench-train}: the knob table. */
  public static String helpFooter() {
    String nl = System.lineSeparator();
    return nl
        + "Training knobs (also `sharpsweep knobs`; (0, 1] excludes 0 and includes 1):"
        + nl
        + KnobCatalogue.textTable().replace("\n", nl);
  }
}
