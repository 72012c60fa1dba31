package io.sharpsweep.protocol.api;

import java.util.Locale;

/**
 * Which epoch reports each trial of a page carries: the {@code epochs} query parameter of {@code
 * GET /v1/studies/{id}/trials}.
 */
public enum TrialEpochs {
  /** Every stored report, by epoch then attempt. */
  ALL,
  /**
   * Only the report the trial's summary reads (its current attempt's last epoch, else its newest
   * epoch).
   */
  LAST,
  /** None: parameters, state and position only. */
  NONE;

  /** The parameter's value. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
