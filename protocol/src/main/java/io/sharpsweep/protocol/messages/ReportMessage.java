package io.sharpsweep.protocol.messages;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A record on {@code sharpsweep.reports}: an epoch report or a failed segment. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = EpochReport.class, name = "epoch-report"),
  @JsonSubTypes.Type(value = TrialFailed.class, name = "trial-failed")
})
public sealed interface ReportMessage permits EpochReport, TrialFailed {
  String studyId();

  String trialId();

  int attempt();
}
