package io.sharpsweep.protocol.messages;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A record on {@code sharpsweep.studies}, from the scheduler to the results-store: the store learns
 * of a study, its trials' configurations and its state changes here.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = StudyCreated.class, name = "study-created"),
  @JsonSubTypes.Type(value = TrialCreated.class, name = "trial-created"),
  @JsonSubTypes.Type(value = StudyStateChanged.class, name = "study-state")
})
public sealed interface StudyEvent permits StudyCreated, TrialCreated, StudyStateChanged {
  String studyId();
}
