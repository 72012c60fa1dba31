package io.sharpsweep.scheduler.api;

import io.sharpsweep.protocol.study.Budget;
import io.sharpsweep.scheduler.study.Study;
import java.util.List;

/** The scheduler's answer about a study: its lifecycle and capacity (results live in the results-store). */
public record StudyView(
    String id, String name, String state, String reason, long createdAt, Budget budget, int created, int running, int completed, int failed, List<String> inFlight) {

  static StudyView of(Study s, List<String> inFlight) {
    synchronized (s) {
      return new StudyView(s.id(), s.spec().name(), s.state().wireName(), s.reason(), s.createdAt(), s.spec().budget(), s.created(), s.running(), s.completed(), s.failed(), inFlight);
    }
  }
}
