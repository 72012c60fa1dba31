package io.sharpsweep.store.control;

import java.util.List;
import java.util.Optional;

/**
 * A study's control state: whether it is running, how many trials it created, and its active
 * (queued, leased or finishing) segments.
 */
public record StudyView(boolean running, int created, List<Segment> active) {

  public StudyView {
    active = List.copyOf(active);
  }

  public int count(SegmentState state) {
    return (int) active.stream().filter(s -> s.state() == state).count();
  }

  public Optional<Segment> activeOf(String trialId) {
    return active.stream().filter(s -> s.trialId().equals(trialId)).findFirst();
  }
}
