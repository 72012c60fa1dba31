package io.sharpsweep.worker.sam;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.config.Knobs;

/**
 * Readers of the variant knobs of {@link KnobCatalogue}: each takes its default (for the variant
 * that reads it) and its range from the catalogue, so the study validator, the README, the CLI and
 * the worker agree.
 */
final class VariantKnobs {
  private VariantKnobs() {}

  /**
   * {@code rho} with the catalogue's default for {@code variant} (0.5 for asam, 0.05 otherwise).
   */
  static double rho(Knobs k, String variant) {
    return k.number(KnobCatalogue.RHO, variant);
  }

  static double beta(Knobs k) {
    return k.number(KnobCatalogue.BETA);
  }

  static double gamma(Knobs k) {
    return k.number(KnobCatalogue.GAMMA);
  }

  static double delta(Knobs k) {
    return k.number(KnobCatalogue.DELTA);
  }

  static double lambda1(Knobs k) {
    return k.number(KnobCatalogue.LAMBDA1);
  }

  static double lambda2(Knobs k) {
    return k.number(KnobCatalogue.LAMBDA2);
  }

  static int k(Knobs k) {
    return k.integer(KnobCatalogue.K);
  }

  static double alpha(Knobs k) {
    return k.number(KnobCatalogue.ALPHA);
  }

  static double mongeAlpha(Knobs k) {
    return k.number(KnobCatalogue.MONGE_ALPHA);
  }

  static double eta(Knobs k) {
    return k.number(KnobCatalogue.ETA);
  }

  static double p(Knobs k) {
    return k.number(KnobCatalogue.P);
  }
}
