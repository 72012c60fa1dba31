package io.sharpsweep.protocol.messages;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A record on {@code sharpsweep.decisions}, from the results-store to the scheduler. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RungDecision.class, name = "rung-decision"),
  @JsonSubTypes.Type(value = StudyProgress.class, name = "study-progress")
})
public sealed interface DecisionMessage permits RungDecision, StudyProgress {
  String studyId();
}
