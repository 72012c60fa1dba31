package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.MalformedRecordException;

/** A record names a trial id that the store already holds under another study. */
public class TrialOwnershipException extends MalformedRecordException {
  public TrialOwnershipException(String trialId, String claimedStudy, String actualStudy) {
    super(
        "trialId '"
            + trialId
            + "' belongs to study '"
            + actualStudy
            + "', not to studyId '"
            + claimedStudy
            + "'");
  }
}
