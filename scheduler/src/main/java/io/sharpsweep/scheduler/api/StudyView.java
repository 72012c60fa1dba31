package io.sharpsweep.scheduler.api;

import io.sharpsweep.protocol.study.Budget;
import io.sharpsweep.scheduler.study.Study;
import java.util.List;

/**
 * The scheduler's answer about a study: its lifecycle and capacity (results live in the
 * results-store). {@code running} segments are in flight, {@code waiting} promotions wait for a
 * slot, {@code parked} trials wait at a rung.
 */
public record StudyView(
    String id,
    String name,
    String state,
    String reason,
    long createdAt,
    String scheduler,
    Budget budget,
    int created,
    int running,
    int waiting,
    int parked,
    int completed,
    int failed,
    List<String> inFlight) {

  static StudyView of(Study s, List<String> inFlight) {
    synchronized (s) {
      return new StudyView(
          s.id(),
          s.spec().name(),
          s.state().wireName(),
          s.reason(),
          s.createdAt(),
          s.ladder().type(),
          s.spec().budget(),
          s.created(),
          s.running(),
          s.waiting(),
          s.parked(),
          s.completed(),
          s.failed(),
          inFlight);
    }
  }
}
