package io.sharpsweep.protocol.knobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every training knob with its type, range, default and the variants that read it. The study
 * validator checks {@code fixed} values and {@code space} bounds against it, the trainer-worker
 * reads its defaults and ranges from it, the CLI prints it ({@code sharpsweep knobs}) and the
 * README's table is checked against it, so a value a worker would refuse is refused when the study
 * is created.
 */
public final class KnobCatalogue {
  /** The optimizer variants, in the order the CLI and the README list them. */
  public static final List<String> VARIANTS =
      List.of(
          "sgd", "sam", "asam", "esam", "ae-sam", "looksam", "ae-looksam", "msam", "rst", "sam-k");

  /** Every variant but {@code sgd}: the ones that take a sharpness-aware step. */
  private static final List<String> SHARPNESS_AWARE = VARIANTS.subList(1, VARIANTS.size());

  public static final Knob VARIANT =
      new Knob(
          "variant",
          KnobType.CATEGORICAL,
          null,
          VARIANTS,
          "sgd",
          Map.of(),
          VARIANTS,
          "optimizer variant");

  public static final Knob LR =
      number(
          "lr",
          KnobRange.openClosed(0, 100),
          0.05,
          VARIANTS,
          "learning rate (cosine schedule to 0 over the trial's iterations)");

  public static final Knob MOMENTUM =
      number("momentum", KnobRange.closed(0, 0.999999), 0.9, VARIANTS, "SGD momentum (heavy ball)");

  public static final Knob WEIGHT_DECAY =
      number(
          "weight-decay",
          KnobRange.closed(0, 1),
          5e-4,
          VARIANTS,
          "L2 weight decay, PyTorch placement (d = g + λw)");

  public static final Knob NESTEROV =
      new Knob(
          "nesterov",
          KnobType.BOOL,
          null,
          List.of(),
          false,
          Map.of(),
          VARIANTS,
          "Nesterov momentum (needs momentum > 0)");

  public static final Knob BATCH_SIZE =
      integer(
          "batch-size",
          KnobRange.closed(1, 1 << 16),
          128,
          VARIANTS,
          "mini-batch size (the last batch of an epoch may be smaller)");

  public static final Knob RHO =
      new Knob(
          "rho",
          KnobType.FLOAT,
          KnobRange.closed(0, 10),
          List.of(),
          0.05,
          Map.of("asam", 0.5),
          SHARPNESS_AWARE,
          "neighbourhood radius ρ of the perturbation (0 is SGD)");

  public static final Knob BETA =
      number(
          "beta",
          KnobRange.openClosed(0, 1),
          0.6,
          List.of("esam"),
          "ESAM: probability β that a tensor is perturbed (SWP)");

  public static final Knob GAMMA =
      number(
          "gamma",
          KnobRange.openClosed(0, 1),
          0.5,
          List.of("esam"),
          "ESAM: fraction γ of the batch kept for the second pass (SDS)");

  public static final Knob DELTA =
      number(
          "delta",
          KnobRange.closedOpen(0, 1),
          0.9,
          List.of("ae-sam", "ae-looksam"),
          "AE-SAM: forgetting rate δ of the gradient-norm moving moments");

  public static final Knob LAMBDA1 =
      number(
          "lambda1",
          KnobRange.closed(-1000, 1000),
          -1.0,
          List.of("ae-sam", "ae-looksam"),
          "AE-SAM: switch threshold λ1 at the end of training");

  public static final Knob LAMBDA2 =
      number(
          "lambda2",
          KnobRange.closed(-1000, 1000),
          1.0,
          List.of("ae-sam", "ae-looksam"),
          "AE-SAM: switch threshold λ2 at the start of training");

  public static final Knob K =
      integer(
          "k",
          KnobRange.closed(1, 1_000_000),
          5,
          List.of("looksam", "sam-k"),
          "LookSAM / SAM-k: a SAM step every k iterations");

  public static final Knob ALPHA =
      number(
          "alpha",
          KnobRange.closed(0, 10),
          0.7,
          List.of("looksam", "ae-looksam"),
          "LookSAM: weight α of the reused sharpness direction");

  public static final Knob MONGE_ALPHA =
      number(
          "monge-alpha",
          KnobRange.closed(0, 1_000_000),
          1.0,
          List.of("msam"),
          "M-SAM: scale α of the Monge metric (0 is SAM)");

  public static final Knob ETA =
      number(
          "eta",
          KnobRange.closed(0, 10),
          0.01,
          List.of("asam"),
          "ASAM: offset η of the scaling T = |w| + η");

  public static final Knob P =
      number("p", KnobRange.closed(0, 1), 0.5, List.of("rst"), "RST: probability p of a SAM step");

  private static final Map<String, Knob> BY_NAME = new LinkedHashMap<>();

  static {
    for (Knob k :
        List.of(
            VARIANT,
            LR,
            MOMENTUM,
            WEIGHT_DECAY,
            NESTEROV,
            BATCH_SIZE,
            RHO,
            BETA,
            GAMMA,
            DELTA,
            LAMBDA1,
            LAMBDA2,
            K,
            ALPHA,
            MONGE_ALPHA,
            ETA,
            P)) {
      if (BY_NAME.put(k.name(), k) != null) {
        throw new IllegalStateException("knob " + k.name() + " is listed twice");
      }
      for (String v : k.variants()) {
        if (!VARIANTS.contains(v)) {
          throw new IllegalStateException("knob " + k.name() + " names unknown variant " + v);
        }
      }
    }
  }

  private KnobCatalogue() {}

  /** Every knob: the shared ones first, then the variants' own, in the README's order. */
  public static List<Knob> all() {
    return List.copyOf(BY_NAME.values());
  }

  /** The knob called {@code name}, if there is one. */
  public static Optional<Knob> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** Whether {@code name} is a training knob. */
  public static boolean isKnob(String name) {
    return BY_NAME.containsKey(name);
  }

  /** The knob names, in catalogue order. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** The knobs {@code variant} reads, shared ones included. */
  public static List<Knob> forVariant(String variant) {
    return BY_NAME.values().stream().filter(k -> k.usedBy(variant)).toList();
  }

  /** Knob name → description. */
  public static Map<String, String> descriptions() {
    Map<String, String> m = new LinkedHashMap<>();
    BY_NAME.values().forEach(k -> m.put(k.name(), k.description()));
    return m;
  }

  /** The variants column of the table: {@code all} or the names, comma-separated. */
  public static String variantsText(Knob k) {
    if (k.variants().equals(VARIANTS)) {
      return "all";
    }
    if (k.variants().equals(SHARPNESS_AWARE)) {
      return "all but sgd";
    }
    return String.join(", ", k.variants());
  }

  /** Headings of {@link #rows()}. */
  public static final List<String> COLUMNS =
      List.of("knob", "type", "range", "default", "variants", "meaning");

  /** One row per knob, with the cells of {@link #COLUMNS}. */
  public static List<List<String>> rows() {
    List<List<String>> rows = new ArrayList<>();
    for (Knob k : BY_NAME.values()) {
      rows.add(
          List.of(
              k.name(),
              k.type().wireName(),
              k.rangeText(),
              k.defaultText(),
              variantsText(k),
              k.description()));
    }
    return rows;
  }

  /**
   * The catalogue as a Markdown table (the README's), with names, ranges and defaults in code
   * spans.
   */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder();
    b.append("| ").append(String.join(" | ", COLUMNS)).append(" |\n");
    b.append("|").append("---|".repeat(COLUMNS.size())).append("\n");
    for (List<String> row : rows()) {
      b.append("| `")
          .append(row.get(0))
          .append("` | ")
          .append(row.get(1))
          .append(" | `")
          .append(row.get(2))
          .append("` | `")
          .append(row.get(3))
          .append("` | ")
          .append(row.get(4))
          .append(" | ")
          .append(escapeMarkdown(row.get(5)))
          .append(" |\n");
    }
    return b.toString();
  }

  /** The catalogue as a plain-text table with aligned columns (the CLI's). */
  public static String textTable() {
    List<List<String>> all = new ArrayList<>();
    all.add(COLUMNS);
    all.addAll(rows());
    int[] width = new int[COLUMNS.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    return all.stream()
        .map(
            row -> {
              StringBuilder b = new StringBuilder();
              for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                b.append(i == row.size() - 1 ? cell : pad(cell, width[i] + 2));
              }
              return b.toString().stripTrailing();
            })
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  /** A Markdown cell's text: a {@code |} would end the cell. */
  static String escapeMarkdown(String s) {
    return s.replace("|", "\\|");
  }

  private static Knob number(
      String name, KnobRange range, double defaultValue, List<String> variants, String what) {
    return new Knob(name, KnobType.FLOAT, range, List.of(), defaultValue, Map.of(), variants, what);
  }

  private static Knob integer(
      String name, KnobRange range, int defaultValue, List<String> variants, String what) {
    return new Knob(name, KnobType.INT, range, List.of(), defaultValue, Map.of(), variants, what);
  }
}
