package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.MalformedRecordException;

/**
 * A record that meets the contract but not the store's state: it names a study or trial the store
 * does not hold, or a study that no longer takes records of its kind. It is dead-lettered, never
 * stored, and never creates a row.
 */
public class UnknownRecordException extends MalformedRecordException {
  public UnknownRecordException(String message) {
    super(message);
  }

  static UnknownRecordException study(String studyId) {
    return new UnknownRecordException("unknown study '" + studyId + "'");
  }

  static UnknownRecordException trial(String studyId, String trialId) {
    return new UnknownRecordException("unknown trial '" + trialId + "' in study '" + studyId + "'");
  }
}
