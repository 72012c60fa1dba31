package io.sharpsweep.store.control;

import java.util.Locale;

/** Where a segment stands, as stored in {@code segments.state}. */
public enum SegmentState {
  QUEUED,
  LEASED,
  /** The worker said its last report is in Kafka; done once the store ingested it. */
  FINISHING,
  DONE,
  /** Charged to the trial's attempts (the trial was retried as a new segment, or failed). */
  FAILED,
  /** Its study ended before a worker took it. */
  CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SegmentState fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** Queued, leased or finishing: the segment holds one of its study's slots. */
  public boolean active() {
    return this == QUEUED || this == LEASED || this == FINISHING;
  }
}
