package io.sharpsweep.store.service;

/**
 * What applying control actions changed: a segment was queued (wake waiting lease requests) or a
 * slot was freed (wake the scheduler); and whether the study ended (its row changed).
 */
public record Effects(boolean enqueued, boolean freed, boolean studyEnded) {
  public static final Effects NONE = new Effects(false, false, false);

  public Effects(boolean enqueued, boolean freed) {
    this(enqueued, freed, false);
  }

  public Effects plus(Effects other) {
    return new Effects(
        enqueued || other.enqueued, freed || other.freed, studyEnded || other.studyEnded);
  }
}
