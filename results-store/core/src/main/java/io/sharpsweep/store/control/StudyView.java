package io.sharpsweep.store.control;

import java.util.List;
import java.util.Optional;

/**
 * A study's control state: whether it is running, how many trials it created, its active (queued,
 * leased or finishing) segments, and whether it is paused (still running: only dispatch and new
 * trials wait).
 */
public record StudyView(boolean running, int created, List<Segment> active, boolean paused) {

  public StudyView {
    active = List.copyOf(active);
  }

  public StudyView(boolean running, int created, List<Segment> active) {
    this(running, created, active, false);
  }

  public int count(SegmentState state) {
    return (int) active.stream().filter(s -> s.state() == state).count();
  }

  public Optional<Segment> activeOf(String trialId) {
    return active.stream().filter(s -> s.trialId().equals(trialId)).findFirst();
  }
}
