package io.sharpsweep.store.query;

/** The study exists but has no trial with this id. */
public class UnknownTrialException extends RuntimeException {
  public UnknownTrialException(String studyId, String trialId) {
    super("unknown trial '" + trialId + "' in study '" + studyId + "'");
  }
}
