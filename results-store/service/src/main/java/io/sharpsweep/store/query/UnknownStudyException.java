package io.sharpsweep.store.query;

/** No study with this id is in the store. */
public class UnknownStudyException extends RuntimeException {
  private final String studyId;

  public UnknownStudyException(String studyId) {
    super("unknown study '" + studyId + "'");
    this.studyId = studyId;
  }

  public String studyId() {
    return studyId;
  }
}
