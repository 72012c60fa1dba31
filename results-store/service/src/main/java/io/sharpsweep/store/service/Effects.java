package io.sharpsweep.store.service;

/**
 * What applying control actions changed: a segment was queued (wake waiting lease requests) or a
 * slot was freed (wake the scheduler).
 */
public record Effects(boolean enqueued, boolean freed) {
  public static final Effects NONE = new Effects(false, false);

  public Effects plus(Effects other) {
    return new Effects(enqueued || other.enqueued, freed || other.freed);
  }
}
