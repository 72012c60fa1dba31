package io.sharpsweep.worker.sam;

import io.sharpsweep.worker.config.KnobSpec;
import io.sharpsweep.worker.config.Knobs;

/**
 * The variant knobs of {@code TrainingCatalog.KNOBS}: their defaults, rules and readers, in one
 * place so the README, the CLI and the validation agree.
 */
final class VariantKnobs {
  static final double RHO = 0.05;
  static final double ASAM_RHO = 0.5;
  static final double BETA = 0.6;
  static final double GAMMA = 0.5;
  static final double DELTA = 0.9;
  static final double LAMBDA1 = -1.0;
  static final double LAMBDA2 = 1.0;
  static final int K = 5;
  static final double ALPHA = 0.7;
  static final double MONGE_ALPHA = 1.0;
  static final double ETA = 0.01;
  static final double P = 0.5;
  static final double LAMBDA_BOUND = 1000;

  private VariantKnobs() {}

  static KnobSpec rhoSpec(double defaultValue) {
    return new KnobSpec("rho", fmt(defaultValue), "[0, 10]");
  }

  static double rho(Knobs k, double defaultValue) {
    return k.number("rho", defaultValue, 0, true, 10);
  }

  static final KnobSpec BETA_SPEC = new KnobSpec("beta", fmt(BETA), "(0, 1]");
  static final KnobSpec GAMMA_SPEC = new KnobSpec("gamma", fmt(GAMMA), "(0, 1]");
  static final KnobSpec DELTA_SPEC = new KnobSpec("delta", fmt(DELTA), "[0, 1)");
  static final KnobSpec LAMBDA1_SPEC = new KnobSpec("lambda1", fmt(LAMBDA1), "[-1000, 1000]");
  static final KnobSpec LAMBDA2_SPEC = new KnobSpec("lambda2", fmt(LAMBDA2), "[-1000, 1000]");
  static final KnobSpec K_SPEC = new KnobSpec("k", Integer.toString(K), "integer [1, 1000000]");
  static final KnobSpec ALPHA_SPEC = new KnobSpec("alpha", fmt(ALPHA), "[0, 10]");
  static final KnobSpec MONGE_ALPHA_SPEC =
      new KnobSpec("monge-alpha", fmt(MONGE_ALPHA), "[0, 1000000]");
  static final KnobSpec ETA_SPEC = new KnobSpec("eta", fmt(ETA), "[0, 10]");
  static final KnobSpec P_SPEC = new KnobSpec("p", fmt(P), "[0, 1]");

  static double beta(Knobs k) {
    return k.number("beta", BETA, 0, false, 1);
  }

  static double gamma(Knobs k) {
    return k.number("gamma", GAMMA, 0, false, 1);
  }

  static double delta(Knobs k) {
    double d = k.number("delta", DELTA, 0, true, 1);
    if (d >= 1) {
      throw new io.sharpsweep.worker.config.InvalidConfigException(
          "config.delta must be in [0, 1), got " + d);
    }
    return d;
  }

  static double lambda1(Knobs k) {
    return k.number("lambda1", LAMBDA1, -LAMBDA_BOUND, true, LAMBDA_BOUND);
  }

  static double lambda2(Knobs k) {
    return k.number("lambda2", LAMBDA2, -LAMBDA_BOUND, true, LAMBDA_BOUND);
  }

  static int k(Knobs k) {
    return k.integer("k", K, 1, 1_000_000);
  }

  static double alpha(Knobs k) {
    return k.number("alpha", ALPHA, 0, true, 10);
  }

  static double mongeAlpha(Knobs k) {
    return k.number("monge-alpha", MONGE_ALPHA, 0, true, 1_000_000);
  }

  static double eta(Knobs k) {
    return k.number("eta", ETA, 0, true, 10);
  }

  static double p(Knobs k) {
    return k.number("p", P, 0, true, 1);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : Double.toString(v);
  }
}
