package io.sharpsweep.scheduler.study;

/** No study with this id is known to this scheduler. */
public class UnknownStudyException extends RuntimeException {
  public UnknownStudyException(String studyId) {
    super("unknown study '" + studyId + "'");
  }
}
