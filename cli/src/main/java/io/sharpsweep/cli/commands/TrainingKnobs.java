package io.sharpsweep.cli.commands;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The training knobs of {@code KnobCatalogue} as options of {@code train}, {@code replay} and
 * {@code bench-train}; unset options fall back to the catalogue's defaults, which the worker reads
 * (the commands' help ends with the catalogue's table; {@code TrainingKnobsTest} checks the
 * defaults written here against it). Knobs a variant does not read are ignored by it.
 */
public class TrainingKnobs {
  @Option(names = "--rho", description = "Neighbourhood radius ρ (default 0.05; asam 0.5).")
  Double rho;

  @Option(names = "--beta", description = "ESAM: weight keep probability β of SWP (default 0.6).")
  Double beta;

  @Option(names = "--gamma", description = "ESAM: data keep fraction γ of SDS (default 0.5).")
  Double gamma;

  @Option(
      names = "--delta",
      description = "AE-SAM: moving-average forgetting rate δ (default 0.9).")
  Double delta;

  @Option(
      names = "--lambda1",
      description = "AE-SAM: threshold at the end of training (default -1).")
  Double lambda1;

  @Option(
      names = "--lambda2",
      description = "AE-SAM: threshold at the start of training (default 1).")
  Double lambda2;

  @Option(names = "--k", description = "LookSAM / SAM-k period (default 5).")
  Integer k;

  @Option(names = "--alpha", description = "LookSAM reuse weight α (default 0.7).")
  Double alpha;

  @Option(names = "--monge-alpha", description = "M-SAM metric scale (default 1).")
  Double mongeAlpha;

  @Option(names = "--eta", description = "ASAM offset η (default 0.01).")
  Double eta;

  @Option(names = "--p", description = "RST probability of a SAM step (default 0.5).")
  Double p;

  @Option(
      names = "--lr",
      description = "Learning rate (default 0.05; cosine schedule in train, constant in replay).")
  Double lr;

  @Option(names = "--momentum", description = "SGD momentum (default 0.9).")
  Double momentum;

  @Option(names = "--weight-decay", description = "Weight decay, PyTorch placement (default 5e-4).")
  Double weightDecay;

  @Option(names = "--nesterov", description = "Nesterov momentum.")
  Boolean nesterov;

  /**
   * The set knobs as a trial configuration, {@code variant} and {@code batch-size} included when
   * given.
   */
  Map<String, Object> config(String variant, Integer batchSize) {
    Map<String, Object> c = new LinkedHashMap<>();
    if (variant != null) {
      c.put("variant", variant);
    }
    put(c, "rho", rho);
    put(c, "beta", beta);
    put(c, "gamma", gamma);
    put(c, "delta", delta);
    put(c, "lambda1", lambda1);
    put(c, "lambda2", lambda2);
    put(c, "k", k);
    put(c, "alpha", alpha);
    put(c, "monge-alpha", mongeAlpha);
    put(c, "eta", eta);
    put(c, "p", p);
    put(c, "lr", lr);
    put(c, "momentum", momentum);
    put(c, "weight-decay", weightDecay);
    put(c, "nesterov", nesterov);
    put(c, "batch-size", batchSize);
    return c;
  }

  private static void put(Map<String, Object> c, String name, Object value) {
    if (value != null) {
      c.put(name, value);
    }
  }
}
